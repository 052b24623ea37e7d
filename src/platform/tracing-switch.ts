/**
 * Whether OpenTelemetry tracing is on. Off by default, as the issue asks: the SDK's own default
 * (`OTEL_TRACES_EXPORTER` unset means otlp) would have every gateway export to localhost:4318.
 * So tracing is on only when the environment names a traces exporter other than `none`, or an
 * OTLP endpoint, and `OTEL_SDK_DISABLED` is not `true` (the standard kill switch wins).
 */
export function tracingRequested(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (exporters.length > 0) return !exporters.includes('none');
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim());
}
