import { createHmac } from 'node:crypto';

/**
 * SPEC: `X-Keydesk-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`,
 * with `X-Keydesk-Timestamp` in Unix seconds, so a receiver can refuse old or forged calls.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
