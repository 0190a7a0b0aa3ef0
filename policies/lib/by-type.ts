// One validation for several resource types: each type gets its own check; other types are skipped.
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from '@pulumi/policy';

export type TypeCheck = (
  props: Record<string, unknown>,
  report: ReportViolation,
  args: ResourceValidationArgs,
) => void;

export function validateTypes(checks: Readonly<Record<string, TypeCheck>>): ResourceValidation {
  return (args, report) => {
    const check = checks[args.type];
    if (check) check(args.props, report, args);
  };
}
