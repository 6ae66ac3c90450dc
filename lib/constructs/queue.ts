import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** AWS guidance for SQS event sources: visibility >= 6 x function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Props of `WorkQueue`. */
export interface WorkQueueProps {
  /** Timeout of the function consuming the queue. */
  processorTimeout: Duration;
  /** Receives before a message moves to the DLQ. */
  maxReceiveCount: number;
  removalPolicy: RemovalPolicy;
}

/**
 * The bus: an SQS FIFO queue (MessageGroupId = tenant:repo:target, so one
 * branch is processed in order and branches run in parallel) with a FIFO
 * dead-letter queue. Senders set the deduplication id themselves (delivery
 * or job id), so content-based deduplication stays off.
 */
export class WorkQueue extends Construct {
  /** The FIFO work queue. */
  readonly queue: sqs.Queue;
  /** Messages that failed `maxReceiveCount` times. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const common = {
      fifo: true,
      contentBasedDeduplication: false,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
    };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...common,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...common,
      // High-throughput FIFO: quotas per message group, not per queue.
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.seconds(
        props.processorTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR,
      ),
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: props.maxReceiveCount,
      },
    });
  }
}
