import { withoutCredentials } from './url-credentials.ts';

export const defaultInfluxUrl = 'http://127.0.0.1:8086';

/** True when an InfluxDB answers GET /ping (204 on 1.x and 2.x). */
export async function influxAnswers(url: string, timeoutMs = 1_500): Promise<boolean> {
  try {
    const bare = withoutCredentials(url);
    const response = await fetch(`${bare.url.replace(/\/+$/, '')}/ping`, { headers: bare.headers, signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status >= 200 && response.status < 300;
  } catch {
    return false;
  }
}
