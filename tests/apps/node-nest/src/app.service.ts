import { Injectable } from '@nestjs/common';
import { loadConfig } from './config';

// The seed's "before" Dockerfile compiles (`npm run build`) before `npx prisma generate`, and
// Prisma 7 no longer generates at install time, so the generated types do not exist yet when tsc
// runs: load the generated client at run time, typed by hand.
interface GeneratedPrisma {
  Prisma: { ModelName: Record<string, string> };
}

@Injectable()
export class AppService {
  private readonly config = loadConfig();

  greeting(): string {
    return this.config.greeting;
  }

  // Reads the generated Prisma client at run time: proves node_modules/.prisma reached the image.
  models(): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const generated = require('@prisma/client') as GeneratedPrisma;
    return Object.values(generated.Prisma.ModelName);
  }
}
