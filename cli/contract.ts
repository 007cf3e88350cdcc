export { CONTRACT_VERSION } from '../lib/protocol/version.ts';
