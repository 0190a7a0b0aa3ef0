// Instance classes per stack config size (Graviton, burstable only for small).
export const rdsInstanceClasses = {
  small: 'db.t4g.medium',
  medium: 'db.m7g.large',
  large: 'db.m7g.xlarge',
  xlarge: 'db.m7g.2xlarge',
} as const;

export type RdsSize = keyof typeof rdsInstanceClasses;
