/**
 * Local-stack defaults, set before any Powertools module is loaded: no EMF
 * metric lines on stdout, no X-Ray, warnings and errors only.
 *
 * `AWS_XRAY_MANUAL_MODE`: the X-Ray SDK (loaded by the Powertools tracer)
 * otherwise creates its `cls-hooked` namespace on import, an async hook with
 * destroy tracking that taxes every promise of the process (about 8 % of a
 * request's CPU in the local stack's profile). Tracing is off locally, so the
 * namespace has nothing to carry.
 */
const defaults: Record<string, string> = {
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_SERVICE_NAME: 'converge',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_XRAY_MANUAL_MODE: 'true',
};
for (const [name, value] of Object.entries(defaults)) {
  process.env[name] ??= value;
}
