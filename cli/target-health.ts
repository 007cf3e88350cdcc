export interface TargetHealth {
  /** The HTTP status the health route answered. */
  status: number;
  contract: string | undefined;
  dbKind: string | undefined;
  faults: string[];
}

export class TargetCheckError extends Error {}

/** Origin with any trailing slash removed, or undefined when the text is not an http(s) URL. */
export function normalizeTargetUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.href.replace(/\/+$/, '');
}

/**
 * GET <target><path>. With `expectedContract` (the agent-sla dialect) it must answer 200 and name that
 * contract; without (any other dialect: a backend that is not ours) any 2xx will do, and no body is asked for.
 */
export async function checkTarget(baseUrl: string, expectedContract: string | undefined, timeoutMs = 5_000, path = '/health'): Promise<TargetHealth> {
  const healthUrl = `${baseUrl}${path}`;
  let response: Response;
  try {
    response = await fetch(healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new TargetCheckError(`${healthUrl} is not reachable (${describeFetchError(error)})`);
  }
  const text = await response.text().catch(() => '');
  if (expectedContract === undefined) {
    if (response.status < 200 || response.status > 299) throw new TargetCheckError(`${healthUrl} answered HTTP ${response.status}, expected 2xx (--no-health skips this check)`);
    return { status: response.status, contract: undefined, dbKind: undefined, faults: [] };
  }
  if (response.status !== 200) {
    throw new TargetCheckError(`${healthUrl} answered HTTP ${response.status}, expected 200`);
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new TargetCheckError(`${healthUrl} did not answer JSON: it is not an agent-sla target`);
  }
  const contract = typeof body.contract === 'string' ? body.contract : undefined;
  if (contract !== expectedContract) {
    const got = contract ? `contract "${contract}"` : 'no contract version';
    throw new TargetCheckError(`${healthUrl} reports ${got}; this agent-sla needs "${expectedContract}"`);
  }
  return {
    status: response.status,
    contract,
    dbKind: typeof body.db_kind === 'string' ? body.db_kind : undefined,
    faults: Array.isArray(body.faults) ? body.faults.map(String) : [],
  };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if ((error as Error).name === 'TimeoutError') return 'no answer in time';
  return cause?.message ?? (error as Error).message;
}
