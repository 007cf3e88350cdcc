/** A real streaming HTTP client for SSE endpoints (Node's fetch): every `data:` frame, parsed, with its receive time. */
export interface SseFrame {
  /** The frame's lines other than `data:` ones (e.g. an `event:` line), which AG-UI does not use. */
  otherLines: string[];
  data: any;
  receivedAt: number;
}

export interface SseResult {
  status: number;
  contentType: string;
  frames: SseFrame[];
  /** The body when the status is not 200. */
  errorBody?: any;
  /** 'complete': the server ended the body; 'cut': the connection broke mid-stream. */
  ended: 'complete' | 'cut';
}

export async function postSse(url: string, body: unknown, headers: Record<string, string>, timeoutMs = 30_000): Promise<SseResult> {
  const res = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  const contentType = res.headers.get('content-type') ?? '';
  if (res.status !== 200) {
    const text = await res.text();
    return { status: res.status, contentType, frames: [], errorBody: text ? JSON.parse(text) : undefined, ended: 'complete' };
  }
  const frames: SseFrame[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  let ended: SseResult['ended'] = 'complete';
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
        frames.push({ otherLines: lines.filter((l) => !l.startsWith('data:')), data: JSON.parse(data), receivedAt: Date.now() });
      }
    }
  } catch {
    ended = 'cut';
  }
  if (ended === 'complete' && buffer.trim() !== '') throw new Error(`unterminated SSE frame: ${buffer.slice(0, 80)}`);
  return { status: 200, contentType, frames, ended };
}
