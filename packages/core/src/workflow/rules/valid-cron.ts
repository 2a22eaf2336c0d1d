/**
 * validCron: every `on.schedule` cron parses (5 fields, or 6 with seconds), fires at all, and
 * its timezone exists. A value written as `${{ }}` is left to validExpressions (not evaluated here).
 */
import type { Cron } from 'croner';
import { ErrorCodes } from '../../errors.js';
import type { WorkflowRule } from './rule.js';

export const validCron: WorkflowRule = {
  name: 'validCron',
  async check({ user, report }) {
    if (user.on.schedule.length === 0) return;
    const { Cron } = await import('croner');
    user.on.schedule.forEach((s, i) => {
      const path = ['on', 'schedule', i];
      let zoneOk = !s.timezone.includes('${{');
      if (zoneOk) {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: s.timezone });
        } catch {
          zoneOk = false;
          report({
            code: ErrorCodes.CRON,
            message: `unknown timezone "${s.timezone}"`,
            hint: 'use an IANA timezone name such as UTC, Europe/Berlin or America/New_York',
            path: [...path, 'timezone'],
          });
        }
      }
      if (s.cron.includes('${{')) return;
      const fields = s.cron.trim().split(/\s+/).filter(Boolean).length;
      if (fields !== 5 && fields !== 6) {
        report({
          code: ErrorCodes.CRON,
          message: `cron "${s.cron}" has ${fields} field(s); psr reads 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)`,
          hint: 'for example "0 3 * * *" (03:00 every day) or "*/30 * * * * *" (every 30 seconds)',
          path: [...path, 'cron'],
        });
        return;
      }
      let job: Cron | undefined;
      try {
        job = new Cron(s.cron, { paused: true, mode: '5-or-6-parts', ...(zoneOk ? { timezone: s.timezone } : {}) });
        if (job.nextRun() === null) {
          report({ code: ErrorCodes.CRON, message: `cron "${s.cron}" never fires`, hint: 'check day and month: a date such as 30 February never comes', path: [...path, 'cron'] });
        }
      } catch (err) {
        const why = String((err as Error)?.message ?? err).replace(/^CronPattern:\s*/, '');
        report({
          code: ErrorCodes.CRON,
          message: `invalid cron "${s.cron}": ${why}`,
          hint: 'five fields "minute hour day-of-month month day-of-week" (e.g. "0 3 * * *"), or six with seconds first',
          path: [...path, 'cron'],
        });
      } finally {
        job?.stop();
      }
    });
  },
};
