import { CONTRACT_VERSION, type HealthResponse } from './protocol/index.ts';
import type { Config } from './config.ts';
import { bodyOf, getJson } from './http.ts';

/** For setup(): stops the test before any load when the backend is not up. */
export function requireHealthy(config: Config): void {
  const response = getJson(config, config.paths.health, { name: `GET ${config.paths.health}` });
  if (response.status !== 200) {
    throw new Error(`${config.baseUrl}${config.paths.health} answered ${response.status || response.error}; is the backend up?`);
  }
  const contract = bodyOf<HealthResponse>(response)?.contract;
  if (contract !== undefined && contract !== CONTRACT_VERSION) {
    console.warn(`the backend speaks ${contract}; these scenarios are written for ${CONTRACT_VERSION}`);
  }
}
