import { localDate } from '../../calendar';
import type { ObjectSchema } from '../schema';
import { quote, SqlValue } from '../store';
import { DmlContext, nowIso, RecordsDb, Row } from './dmlContext';

/**
 * Platform-derived fields, set on every insert and update before validation: compound names,
 * Opportunity stage flags and forecast category, Task/Event flags and times, campaign member
 * response dates.
 */
export function deriveFields(db: RecordsDb, obj: ObjectSchema, row: Row, old: Row | undefined, ctx: DmlContext): void {
  const now = nowIso(ctx);
  switch (obj.name) {
    case 'Lead':
    case 'Contact':
    case 'User':
      row.Name = [row.FirstName, row.LastName].filter((v) => v !== null && v !== '').join(' ') || null;
      if (obj.name === 'User' && row.CommunityNickname === null && typeof row.Username === 'string') {
        row.CommunityNickname = row.Username.split('@')[0].slice(0, 40);
      }
      if (obj.name === 'User' && row.UserType === null) row.UserType = 'Standard';
      if (obj.name === 'Lead' && row.IsConverted === 1 && row.ConvertedDate === null) {
        row.ConvertedDate = localDate(ctx.now.getTime(), ctx.timeZone());
      }
      break;
    case 'Group':
      if (row.DeveloperName === null && typeof row.Name === 'string') row.DeveloperName = row.Name.replace(/[^A-Za-z0-9]+/g, '_');
      break;
    case 'Opportunity': {
      const f = obj.byName.get('stagename')!;
      const stage = f.picklistValues.find((p) => p.value === row.StageName);
      row.IsClosed = stage?.closed ? 1 : 0;
      row.IsWon = stage?.won ? 1 : 0;
      const cat = stage?.forecastCategory ?? (stage?.closed ? (stage.won ? 'Closed' : 'Omitted') : 'Pipeline');
      row.ForecastCategory = cat;
      if (!old || old.StageName !== row.StageName) {
        row.ForecastCategoryName = cat === 'BestCase' ? 'Best Case' : cat === 'Forecast' ? 'Commit' : cat;
        if (stage?.probability !== undefined && (!old || row.Probability === old.Probability)) row.Probability = stage.probability;
      }
      break;
    }
    case 'Task': {
      const f = obj.byName.get('status')!;
      const closed = f.picklistValues.find((p) => p.value === row.Status)?.closed === true || row.Status === 'Completed';
      row.IsClosed = closed ? 1 : 0;
      row.IsHighPriority = row.Priority === 'High' ? 1 : 0;
      // completion time: when it was closed (an insert as closed: its LastModifiedDate, which seeding may backdate)
      if (closed && row.CompletedDateTime === null) row.CompletedDateTime = old ? now : (row.LastModifiedDate ?? now);
      if (!closed) row.CompletedDateTime = null;
      if (row.TaskSubtype === null) row.TaskSubtype = 'Task';
      row.AccountId = accountOf(db, row.WhatId);
      break;
    }
    case 'Event': {
      if (row.StartDateTime === null && row.ActivityDateTime !== null) row.StartDateTime = row.ActivityDateTime;
      if (row.ActivityDateTime === null || (old && row.StartDateTime !== old.StartDateTime)) row.ActivityDateTime = row.StartDateTime;
      if (typeof row.StartDateTime === 'string') {
        const start = Date.parse(row.StartDateTime);
        if (row.EndDateTime !== null && (!old || row.EndDateTime !== old.EndDateTime || row.DurationInMinutes === old.DurationInMinutes)) {
          row.DurationInMinutes = Math.round((Date.parse(String(row.EndDateTime)) - start) / 60000);
        } else if (row.DurationInMinutes !== null) {
          row.EndDateTime = new Date(start + Number(row.DurationInMinutes) * 60000).toISOString();
        }
        row.ActivityDate = localDate(start, ctx.timeZone());
      }
      if (row.EventSubtype === null) row.EventSubtype = 'Event';
      if (row.ShowAs === null) row.ShowAs = 'Busy';
      row.AccountId = accountOf(db, row.WhatId);
      break;
    }
    case 'CampaignMember': {
      row.HasResponded = row.Status === 'Responded' ? 1 : 0;
      if (row.HasResponded === 1 && row.FirstRespondedDate === null) {
        // a member inserted with a back-dated CreatedDate responded on that day, not today
        const at = old || row.CreatedDate == null ? ctx.now.getTime() : Date.parse(String(row.CreatedDate));
        row.FirstRespondedDate = localDate(at, ctx.timeZone());
      }
      const who = (row.LeadId ?? row.ContactId) as string | null;
      if (who) row.Name = nameOf(db, who);
      break;
    }
  }
}

function accountOf(db: RecordsDb, whatId: SqlValue): SqlValue {
  if (typeof whatId !== 'string') return null;
  if (whatId.startsWith('001')) return whatId;
  if (whatId.startsWith('006'))
    return (db.store.get('SELECT "AccountId" FROM "Opportunity" WHERE "Id" = ?', [whatId])?.AccountId ?? null) as SqlValue;
  return null;
}

/** The Name of any record by id (owner names in history, campaign member names). */
export function nameOf(db: RecordsDb, id: SqlValue): string | null {
  if (typeof id !== 'string') return null;
  const obj = db.schema.objectForId(id);
  if (!obj?.nameField) return null;
  const r = db.store.get(`SELECT ${quote(obj.nameField.name)} AS n FROM ${quote(obj.name)} WHERE "Id" = ?`, [id]);
  return r ? ((r.n as string | null) ?? null) : null;
}
