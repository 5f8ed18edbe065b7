/**
 * Requests Node's HTTP parser refuses before Express sees them (a URL or
 * headers over 16 KB, a malformed request line) answer with the contract's
 * error body too, instead of Node's bare status line: an oversized `?before=`
 * cursor is a caller's mistake like any other.
 */
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const message = tooLarge
      ? 'The URL or the headers are larger than 16 KB: send long values (cursors, filters) shorter, or in a POST body.'
      : 'The request is not valid HTTP.';
    const body = JSON.stringify({
      error: { code: tooLarge ? 'request_too_large' : 'invalid_request', message, details: [] },
    });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
