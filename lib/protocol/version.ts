/** Version of the contract, PROTOCOL.md, that this module and the reference target implement. */
export const CONTRACT_VERSION = "agent-sla-protocol/1";
