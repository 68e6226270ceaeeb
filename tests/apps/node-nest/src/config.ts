import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AppConfig {
  port: number;
  greeting: string;
}

// config/ sits next to dist/ in the image (the seed copies both), so resolve from the working dir.
export function loadConfig(env: string = process.env.APP_ENV ?? 'development'): AppConfig {
  const dir = join(process.cwd(), 'config');
  const base = JSON.parse(readFileSync(join(dir, 'default.json'), 'utf8')) as AppConfig;
  const overridePath = join(dir, `${env}.json`);
  const override = existsSync(overridePath)
    ? (JSON.parse(readFileSync(overridePath, 'utf8')) as Partial<AppConfig>)
    : {};
  return { ...base, ...override };
}
