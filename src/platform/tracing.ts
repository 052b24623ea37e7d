/**
 * The tracing preload: `node --import ./dist/src/platform/tracing.js dist/src/main.js`
 * (as `npm start` runs it). Starts OpenTelemetry before any of the gateway's modules load, when
 * the environment asks for it (`tracing-switch.ts`); otherwise it loads nothing of the SDK.
 */
import { tracingRequested } from './tracing-switch.ts';

let sdk: { shutdown(): Promise<void> } | null = null;

if (tracingRequested(process.env)) {
  const { startTracingSdk } = await import('./tracing-sdk.ts');
  sdk = await startTracingSdk();
}

/** Exports the spans still buffered and stops the SDK; for shutdown. Does nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  const stopping = sdk;
  sdk = null;
  await stopping?.shutdown();
}
