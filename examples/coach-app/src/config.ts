/**
 * The coach app's settings, from the environment (`npm run example` fills them in from what
 * `npm run dev` seeded): which appmeta to use, the application's credentials, where to listen.
 */
export interface CoachConfig {
  /** The appmeta origin (the OAuth issuer). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  port: number;
  /** This app's own origin as the browser and appmeta's webhooks reach it. */
  publicUrl: string;
}

export function configFromEnv(env: Record<string, string | undefined>): CoachConfig {
  const port = Number(env.COACH_PORT ?? '8790');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('COACH_PORT: a port');
  const clientId = env.APPMETA_CLIENT_ID;
  const clientSecret = env.APPMETA_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    throw new Error('Set APPMETA_CLIENT_ID and APPMETA_CLIENT_SECRET (npm run example does).');
  }
  return {
    baseUrl: env.APPMETA_URL ?? 'http://localhost:8787',
    clientId,
    clientSecret,
    port,
    // 127.0.0.1, not localhost: appmeta accepts any port on a loopback IP literal for a
    // registered http://127.0.0.1/callback (RFC 8252 §7.3), and the two sites' cookies stay apart.
    publicUrl: env.COACH_URL ?? `http://127.0.0.1:${port}`,
  };
}
