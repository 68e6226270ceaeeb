export function greeting(name: unknown): string {
  return `Hello, ${typeof name === 'string' && name ? name : 'pnpm'}!`;
}
