import { z } from 'zod';
import { ConfigError } from '../../errors';

/**
 * secret-env: notifier secrets (SMTP passwords, bearer tokens) live in environment variables and
 * the YAML names the variable, so recsysops.yaml can be committed and shared.
 */

/** envNameSchema: the name of an environment variable, not its value. */
export const envNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the NAME of an environment variable (letters, digits, "_"), not the secret itself');

/**
 * readSecretEnv returns the value of the variable `name`, failing at start-up (not at the first
 * alert, hours later) with a ConfigError that names the variable but never a value.
 */
export function readSecretEnv(env: Record<string, string | undefined>, name: string, notifier: string, key: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigError([
      { file: 'environment', path: `notifiers.${notifier}.${key}`, message: `environment variable ${name} is not set (it should hold the secret)` },
    ]);
  }
  return value;
}

/** maskSecrets replaces every occurrence of each secret (and its base64 form, as SMTP AUTH sends it) by ***. */
export function maskSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    for (const form of [s, Buffer.from(s).toString('base64')]) out = out.split(form).join('***');
  }
  return out;
}
