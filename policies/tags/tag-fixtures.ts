// Test fixtures: the full set of tags edgeplane's AWS stacks put on every resource.

/** What stacks/aws/tags.ts sets for an aws-prod stack. */
export const edgeplaneTags = {
  'edgeplane:stack': 'aws-prod',
  'edgeplane:environment': 'prod',
  'edgeplane:region': 'us-east-1',
  'edgeplane:domain': 'cdn.example.com',
  'managed-by': 'pulumi',
};
