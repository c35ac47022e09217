// The first admin of the throwaway server the browser tests start (playwright.config.ts passes these to it).
export const ADMIN = {
  email: 'admin@sundial.test',
  password: 'correct horse battery staple',
} as const;
