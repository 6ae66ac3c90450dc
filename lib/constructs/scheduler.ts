import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** The periodic tasks; the scheduler function receives `{ task }`. */
export const SCHEDULED_TASKS = [
  {
    id: 'QueueTick',
    task: 'queue-tick',
    schedule: events.Schedule.rate(Duration.minutes(1)),
    description: 'Drive the merge queue (revalidate READY, merge VALIDATED)',
  },
  {
    id: 'HealthSnapshot',
    task: 'health-snapshot',
    schedule: events.Schedule.rate(Duration.minutes(15)),
    description: 'Record a health snapshot (queue depth, stuck intents)',
  },
  {
    id: 'Retention',
    task: 'retention',
    schedule: events.Schedule.cron({ minute: '17', hour: '3' }),
    description: 'Daily retention sweep of expired records',
  },
] as const;

/** Props of `Scheduler`. */
export interface SchedulerProps {
  /** `functions/scheduler.ts`; the rules target it. */
  target: lambda.IFunction;
}

/**
 * EventBridge rules driving the scheduler function. Each rule sends a
 * constant `{ "task": "<name>" }` input; a missed tick is retried twice and
 * dropped after 5 minutes, since the next tick supersedes it.
 */
export class Scheduler extends Construct {
  /** The rules, by task. */
  readonly rules: ReadonlyMap<string, events.Rule>;

  constructor(scope: Construct, id: string, props: SchedulerProps) {
    super(scope, id);
    const rules = new Map<string, events.Rule>();
    for (const spec of SCHEDULED_TASKS) {
      const rule = new events.Rule(this, spec.id, {
        schedule: spec.schedule,
        description: spec.description,
        targets: [
          new targets.LambdaFunction(props.target, {
            event: events.RuleTargetInput.fromObject({ task: spec.task }),
            retryAttempts: 2,
            maxEventAge: Duration.minutes(5),
          }),
        ],
      });
      rules.set(spec.task, rule);
    }
    this.rules = rules;
  }
}
