/** The engine's version string in every VU of agent-sla's engine; a stock k6 has no such global. */
declare const AGENT_SLA_ENGINE: string | undefined;

/**
 * True on agent-sla's engine, which has the agent-sla/* modules. k6 fails a script that requires a module it does
 * not have, so the library requires those only when this is true, and a stock k6 takes the fallbacks.
 */
export const onAgentSlaEngine: boolean = typeof AGENT_SLA_ENGINE === 'string';
