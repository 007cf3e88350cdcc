/** k6's words for the calls it refuses in the init stage. */
export const INIT_REQUEST_ERROR = 'Making http requests in the init context is not supported';
export const INIT_BATCH_ERROR = 'Using batch in the init context is not supported';
export const INIT_JAR_ERROR = 'Making cookie jars in the init context is not supported';

/** Why a blocking http function was called as a plain function, where it cannot make the VU wait. */
export function cannotBlockMessage(name: string): string {
  return `http.${name}() blocks the VU, and agent-sla could not make this call wait; use http.asyncRequest or call it from code the engine can rewrite`;
}

/** The one-line error for k6/http features that need k6/html, which the engine does not provide. */
export function needsHtmlMessage(name: string): string {
  return `Response.${name}() needs k6/html, which agent-sla does not support; parse res.body yourself`;
}
