/** The WebSocket readyState values, as the standard and k6 number them. */
export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;
