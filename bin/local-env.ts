/**
 * Local-stack defaults, set before any Powertools module is loaded: no EMF
 * metric lines on stdout, no X-Ray, warnings and errors only.
 */
const defaults: Record<string, string> = {
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_SERVICE_NAME: 'converge',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
for (const [name, value] of Object.entries(defaults)) {
  process.env[name] ??= value;
}
