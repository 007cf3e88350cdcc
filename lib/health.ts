import { CONTRACT_VERSION, type HealthResponse } from './protocol/index.ts';
import type { Config } from './config.ts';
import { bodyOf, getJson } from './http.ts';

/**
 * For setup(): stops the test before any load when the backend is not up. The native dialect's
 * /health answers 200 and names the contract; any other backend only has to answer 2xx at PATH_HEALTH.
 * HEALTH_CHECK=off skips it, for backends with no health route.
 */
export async function requireHealthy(config: Config): Promise<void> {
  if (!config.healthCheck) return;
  const response = await getJson(config, config.paths.health, { name: `GET ${config.paths.health}` });
  const healthy = config.dialect.healthContract ? response.status === 200 : response.status >= 200 && response.status < 300;
  if (!healthy) {
    throw new Error(`${config.baseUrl}${config.paths.health} answered ${response.status || response.error}; is the backend up? (HEALTH_CHECK=off skips this check)`);
  }
  if (!config.dialect.healthContract) return;
  const contract = bodyOf<HealthResponse>(response)?.contract;
  if (contract !== undefined && contract !== CONTRACT_VERSION) {
    console.warn(`the backend speaks ${contract}; these scenarios are written for ${CONTRACT_VERSION}`);
  }
}
