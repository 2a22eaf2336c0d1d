/** validInputs: each input's `default` and `enum` agree with its `type` and with each other. */
import { ErrorCodes } from '../../errors.js';
import type { WorkflowRule } from './rule.js';

export const validInputs: WorkflowRule = {
  name: 'validInputs',
  check({ user, report }) {
    for (const [name, input] of Object.entries(user.inputs)) {
      const base = ['inputs', name];
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
        report({ code: ErrorCodes.INPUT, message: `input name "${name}" is not usable as inputs.${name}`, hint: 'use letters, digits, _ and -, starting with a letter or _', path: base, at: 'key' });
      }
      if (input.default !== undefined && typeof input.default !== input.type) {
        report({
          code: ErrorCodes.INPUT,
          message: `default of input "${name}" is ${JSON.stringify(input.default)} (${typeof input.default}), but its type is ${input.type}`,
          hint: input.type === 'string' ? 'quote the default: default: "1"' : `give a ${input.type} default or change type:`,
          path: [...base, 'default'],
        });
      }
      if (input.enum !== undefined) {
        if (input.enum.length === 0) {
          report({ code: ErrorCodes.INPUT, message: `enum of input "${name}" is empty`, hint: 'list the allowed values, or remove enum:', path: [...base, 'enum'] });
        }
        input.enum.forEach((v, i) => {
          if (typeof v !== input.type) {
            report({ code: ErrorCodes.INPUT, message: `enum value ${JSON.stringify(v)} of input "${name}" is not a ${input.type}`, hint: input.type === 'string' ? 'quote it' : `use ${input.type} values`, path: [...base, 'enum', i] });
          }
        });
        if (input.default !== undefined && input.enum.length > 0 && !input.enum.includes(input.default)) {
          report({
            code: ErrorCodes.INPUT,
            message: `default ${JSON.stringify(input.default)} of input "${name}" is not one of its enum values (${input.enum.map((v) => JSON.stringify(v)).join(', ')})`,
            hint: 'make the default one of the allowed values',
            path: [...base, 'default'],
          });
        }
      }
      if (input.required === true && input.default !== undefined) {
        report({ code: ErrorCodes.INPUT, message: `input "${name}" is required but has a default, which would never apply`, hint: 'remove required: true or the default', path: [...base, 'required'] });
      }
    }
  },
};
