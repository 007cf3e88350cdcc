/** The engine's version, as scripts see it: `typeof AGENT_SLA_ENGINE === 'string'` only on agent-sla's engine. */
export const ENGINE_VERSION = '0.1.0';

/** Makes the AGENT_SLA_ENGINE global visible to the scripts this thread evaluates (a stock k6 has none). */
export function markEngine(): void {
  Object.defineProperty(globalThis, 'AGENT_SLA_ENGINE', { value: ENGINE_VERSION, writable: false, enumerable: false, configurable: true });
}
