/**
 * The SQL keydesk runs for the reference scenarios, captured verbatim from PostgreSQL's statement
 * log of the API serving them (log_statement = all). The sample parameters show their order.
 */
export const KEYDESK_SQL = {
  // parameters: $1 = 'bc889ea1-a129-4b64-a78f-b8dfba87cce1'
  user: `SELECT "User"."id" AS "User_id", "User"."username" AS "User_username", "User"."display_name" AS "User_display_name", "User"."role" AS "User_role", "User"."district_codes" AS "User_district_codes", "User"."phone" AS "User_phone", "User"."active" AS "User_active", "User"."credentials_changed_at" AS "User_credentials_changed_at", "User"."version" AS "User_version", "User"."created_at" AS "User_created_at", "User"."updated_at" AS "User_updated_at" FROM "users" "User" WHERE (("User"."id" = $1)) LIMIT 1`,
  // parameters: $1 = 'bc889ea1-a129-4b64-a78f-b8dfba87cce1', $2 = '78e003b7-98f7-4a88-871f-2bf8af0c8cbc'
  enterpriseDetail: `SELECT "e"."id" AS "id", "e"."name" AS "name", "e"."address" AS "address", "e"."tier" AS "tier", "e"."status" AS "status", "e"."shortage" AS "shortage", "e"."version" AS "version", "d"."name" AS "districtName", "i"."name" AS "industryName", "e"."credit_code" AS "creditCode", "e"."industry_code" AS "industryCode", "e"."district_code" AS "districtCode", "e"."employee_count" AS "employeeCount", "e"."contact_name" AS "contactName", "e"."contact_phone" AS "contactPhone", "e"."visit_cadence_days" AS "visitCadenceDays", "e"."commissioner_id" AS "commissionerId", "c"."display_name" AS "commissionerName", "e"."last_visit_at" AS "lastVisitAt", "e"."next_visit_due_at" AS "nextVisitDueAt", "e"."created_at" AS "createdAt", "e"."updated_at" AS "updatedAt" FROM "enterprises" "e" INNER JOIN "districts" "d" ON "d"."code" = "e"."district_code"  INNER JOIN "industries" "i" ON "i"."code" = "e"."industry_code"  LEFT JOIN "users" "c" ON "c"."id" = "e"."commissioner_id" WHERE "e"."commissioner_id" = $1 AND "e"."id" = $2`,
  // parameters: $1 = '1'
  settings: `SELECT "Settings"."id" AS "Settings_id", "Settings"."sla_days" AS "Settings_sla_days", "Settings"."visit_cadence_days" AS "Settings_visit_cadence_days", "Settings"."reminder_offsets" AS "Settings_reminder_offsets", "Settings"."version" AS "Settings_version", "Settings"."updated_at" AS "Settings_updated_at" FROM "settings" "Settings" WHERE (("Settings"."id" = $1)) LIMIT 1`,
  // parameters: $1 = '78e003b7-98f7-4a88-871f-2bf8af0c8cbc'
  detailCategories: `SELECT dm.occupation_category AS code, oc.name, SUM(dm.headcount - dm.filled_count)::int AS shortage
             FROM demands dm JOIN occupation_categories oc ON oc.code = dm.occupation_category
            WHERE dm.enterprise_id = $1 AND dm.status = 'open'
            GROUP BY dm.occupation_category, oc.name ORDER BY shortage DESC, code`,
  // parameters: $1 = '78e003b7-98f7-4a88-871f-2bf8af0c8cbc'
  detailOccupations: `SELECT occupation, SUM(headcount - filled_count)::int AS shortage
             FROM demands WHERE enterprise_id = $1 AND status = 'open'
            GROUP BY occupation ORDER BY shortage DESC, occupation`,
  // parameters: $1 = '78e003b7-98f7-4a88-871f-2bf8af0c8cbc', $2 = '2026-11-27 20:17:16.15+00'
  detailProblemCounts: `SELECT COUNT(*)::int AS open, COUNT(*) FILTER (WHERE due_at < $2)::int AS overdue
             FROM problems WHERE enterprise_id = $1 AND status IN ('open', 'in_progress')`,
  // parameters: $1 = '2026-11-27 20:17:16.695+00'
  overdueCount: `SELECT COUNT(*)::int AS "total" FROM "problems" "p" WHERE "p"."status" IN ('open', 'in_progress') AND "p"."due_at" < $1`,
  // parameters: $1 = '2026-11-27 20:17:16.695+00'
  overdueList: `SELECT "p"."id" AS "id", "p"."title" AS "title", "p"."description" AS "description", "p"."category" AS "category", "p"."priority" AS "priority", "p"."status" AS "status", "p"."resolution" AS "resolution", "p"."version" AS "version", "e"."name" AS "enterpriseName", "p"."enterprise_id" AS "enterpriseId", "e"."district_code" AS "districtCode", "p"."assignee_id" AS "assigneeId", "a"."display_name" AS "assigneeName", "p"."reported_at" AS "reportedAt", "p"."due_at" AS "dueAt", "p"."escalation_level" AS "escalationLevel", "p"."source_visit_id" AS "sourceVisitId", "p"."resolved_at" AS "resolvedAt", "p"."closed_at" AS "closedAt", "p"."created_at" AS "createdAt", "p"."updated_at" AS "updatedAt" FROM "problems" "p" INNER JOIN "enterprises" "e" ON "e"."id" = "p"."enterprise_id"  LEFT JOIN "users" "a" ON "a"."id" = "p"."assignee_id" WHERE "p"."status" IN ('open', 'in_progress') AND "p"."due_at" < $1 ORDER BY "p"."due_at" ASC, "p"."id" ASC LIMIT 20 OFFSET 0`,
  // parameters: $1 = 'resolved'
  reviewCount: `SELECT COUNT(*)::int AS "total" FROM "problems" "p" WHERE "p"."status" = $1`,
  // parameters: $1 = 'resolved'
  reviewList: `SELECT "p"."id" AS "id", "p"."title" AS "title", "p"."description" AS "description", "p"."category" AS "category", "p"."priority" AS "priority", "p"."status" AS "status", "p"."resolution" AS "resolution", "p"."version" AS "version", "e"."name" AS "enterpriseName", "p"."enterprise_id" AS "enterpriseId", "e"."district_code" AS "districtCode", "p"."assignee_id" AS "assigneeId", "a"."display_name" AS "assigneeName", "p"."reported_at" AS "reportedAt", "p"."due_at" AS "dueAt", "p"."escalation_level" AS "escalationLevel", "p"."source_visit_id" AS "sourceVisitId", "p"."resolved_at" AS "resolvedAt", "p"."closed_at" AS "closedAt", "p"."created_at" AS "createdAt", "p"."updated_at" AS "updatedAt" FROM "problems" "p" INNER JOIN "enterprises" "e" ON "e"."id" = "p"."enterprise_id"  LEFT JOIN "users" "a" ON "a"."id" = "p"."assignee_id" WHERE "p"."status" = $1 ORDER BY "p"."resolved_at" ASC, "p"."id" ASC LIMIT 20 OFFSET 0`,
  // parameters: $1 = '78e003b7-98f7-4a88-871f-2bf8af0c8cbc'
  lockEnterprise: `SELECT "Enterprise"."id" AS "Enterprise_id", "Enterprise"."name" AS "Enterprise_name", "Enterprise"."credit_code" AS "Enterprise_credit_code", "Enterprise"."industry_code" AS "Enterprise_industry_code", "Enterprise"."district_code" AS "Enterprise_district_code", "Enterprise"."address" AS "Enterprise_address", "Enterprise"."tier" AS "Enterprise_tier", "Enterprise"."employee_count" AS "Enterprise_employee_count", "Enterprise"."contact_name" AS "Enterprise_contact_name", "Enterprise"."contact_phone" AS "Enterprise_contact_phone", "Enterprise"."visit_cadence_days" AS "Enterprise_visit_cadence_days", "Enterprise"."commissioner_id" AS "Enterprise_commissioner_id", "Enterprise"."status" AS "Enterprise_status", "Enterprise"."shortage" AS "Enterprise_shortage", "Enterprise"."last_visit_at" AS "Enterprise_last_visit_at", "Enterprise"."next_visit_due_at" AS "Enterprise_next_visit_due_at", "Enterprise"."version" AS "Enterprise_version", "Enterprise"."created_at" AS "Enterprise_created_at", "Enterprise"."updated_at" AS "Enterprise_updated_at" FROM "enterprises" "Enterprise" WHERE (("Enterprise"."id" = $1)) LIMIT 1 FOR UPDATE`,
  // parameters: $1 = '78e003b7-98f7-4a88-871f-2bf8af0c8cbc', $2 = 'bc889ea1-a129-4b64-a78f-b8dfba87cce1', $3 = '2026-11-27 10:00:00+00', $4 = 'on_site', $5 = '走访', $6 = NULL, $7 = NULL, $8 = NULL, $9 = NULL, $10 = NULL, $11 = '2026-11-27 20:17:18.119+00'
  insertVisit: `INSERT INTO "visits"("id", "enterprise_id", "commissioner_id", "visited_at", "method", "summary", "employee_count", "non_local_staying", "unable_to_return", "returned", "next_follow_up_at", "created_at") VALUES (DEFAULT, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING "id"`,
  // parameters: $1 = '78e003b7-98f7-4a88-871f-2bf8af0c8cbc', $2 = '数控车工', $3 = '6', $4 = '5', $5 = '0', $6 = NULL, $7 = NULL, $8 = NULL, $9 = NULL, $10 = 'normal', $11 = 'open', $12 = '7b57d28c-ebc2-4f01-b1db-a61c1fef93ab', $13 = 'bc889ea1-a129-4b64-a78f-b8dfba87cce1', $14 = '1', $15 = '2026-11-27 20:17
  insertDemand: `INSERT INTO "demands"("id", "enterprise_id", "occupation", "occupation_category", "headcount", "filled_count", "requirements", "salary_min", "salary_max", "needed_by", "urgency", "status", "source_visit_id", "created_by_id", "version", "created_at", "updated_at") VALUES (DEFAULT, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING "id", "filled_count", "urgency", "status", "version"`,
  // parameters: $1 = '78e003b7-98f7-4a88-871f-2bf8af0c8cbc'
  refreshShortage: `UPDATE enterprises SET shortage = (
         SELECT COALESCE(SUM(headcount - filled_count), 0) FROM demands WHERE enterprise_id = $1 AND status = 'open')
       WHERE id = $1`,
  // parameters: $1 = 'bc889ea1-a129-4b64-a78f-b8dfba87cce1', $2 = 'demand.created', $3 = 'demand', $4 = '63e0260c-7ba8-4d9f-ab72-860dad675f77', $5 = '5ec1a3d8-0ef0-4d6a-bcaf-8169516f0386', $6 = '{"enterpriseId": "78e003b7-98f7-4a88-871f-2bf8af0c8cbc"}', $7 = '2026-11-27 20:17:18.143+00'
  insertAudit: `INSERT INTO "audit_events"("id", "actor_id", "action", "entity_type", "entity_id", "request_id", "details", "at") VALUES (DEFAULT, $1, $2, $3, $4, $5, $6, $7) RETURNING "id"`,
  // parameters: $1 = '78e003b7-98f7-4a88-871f-2bf8af0c8cbc', $2 = '技术工人招聘缺口大', $3 = '', $4 = 'recruitment', $5 = 'normal', $6 = 'bc889ea1-a129-4b64-a78f-b8dfba87cce1', $7 = '2026-11-27 20:17:18.162+00', $8 = '2026-12-04 20:17:18.162+00', $9 = 'open', $10 = '0', $11 = '7b57d28c-ebc2-4f01-b1db-a61c1fef93a
  insertProblem: `INSERT INTO "problems"("id", "enterprise_id", "title", "description", "category", "priority", "assignee_id", "reported_at", "due_at", "status", "resolution", "escalation_level", "source_visit_id", "created_by_id", "resolved_at", "closed_at", "version", "created_at", "updated_at") VALUES (DEFAULT, $1, $2, $3, $4, $5, $6, $7, $8, $9, DEFAULT, $10, $11, $12, DEFAULT, DEFAULT, $13, $14, $15) RETURNING "id", "description", "status", "escalation_level", "version"`,
  // parameters: $1 = '742cd26f-74be-4db8-ae70-a457f961a54e', $2 = 'created', $3 = NULL, $4 = NULL, $5 = 'open', $6 = 'bc889ea1-a129-4b64-a78f-b8dfba87cce1', $7 = NULL, $8 = NULL, $9 = '2026-11-27 20:17:18.162+00'
  insertProblemEvent: `INSERT INTO "problem_events"("id", "problem_id", "type", "action", "from_status", "to_status", "actor_id", "note", "data", "at") VALUES (DEFAULT, $1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING "id"`,
  // parameters: $1 = '{78e003b7-98f7-4a88-871f-2bf8af0c8cbc}'
  scheduleSelect: `SELECT e.id, e.tier, e.visit_cadence_days AS "visitCadenceDays",
              v.visited_at AS "visitedAt", v.next_follow_up_at AS "nextFollowUpAt"
         FROM enterprises e
         LEFT JOIN LATERAL (
           SELECT visited_at, next_follow_up_at FROM visits
            WHERE enterprise_id = e.id ORDER BY visited_at DESC, created_at DESC LIMIT 1) v ON true
        WHERE e.id = ANY($1)`,
  // parameters: $1 = '{78e003b7-98f7-4a88-871f-2bf8af0c8cbc}', $2 = '{"2026-11-27 10:00:00+00"}', $3 = '{"2026-12-27 10:00:00+00"}'
  scheduleUpdate: `UPDATE enterprises e SET last_visit_at = u.last, next_visit_due_at = u.next
         FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS u(id, last, next)
        WHERE e.id = u.id`,
  // parameters: $1 = 'bc889ea1-a129-4b64-a78f-b8dfba87cce1', $2 = '7b57d28c-ebc2-4f01-b1db-a61c1fef93ab'
  visitView: `SELECT "v"."id" AS "id", "v"."method" AS "method", "v"."summary" AS "summary", "v"."returned" AS "returned", "e"."name" AS "enterpriseName", "v"."enterprise_id" AS "enterpriseId", "e"."district_code" AS "districtCode", "v"."commissioner_id" AS "commissionerId", "c"."display_name" AS "commissionerName", "v"."visited_at" AS "visitedAt", "v"."employee_count" AS "employeeCount", "v"."non_local_staying" AS "nonLocalStaying", "v"."unable_to_return" AS "unableToReturn", "v"."next_follow_up_at" AS "nextFollowUpAt", "v"."created_at" AS "createdAt" FROM "visits" "v" INNER JOIN "enterprises" "e" ON "e"."id" = "v"."enterprise_id"  INNER JOIN "users" "c" ON "c"."id" = "v"."commissioner_id" WHERE "e"."commissioner_id" = $1 AND "v"."id" = $2`,
  // parameters: $1 = '{7b57d28c-ebc2-4f01-b1db-a61c1fef93ab}'
  visitLinks: `SELECT source_visit_id AS "visitId", 'demand' AS kind, id FROM demands WHERE source_visit_id = ANY($1)
             UNION ALL
             SELECT source_visit_id, 'problem', id FROM problems WHERE source_visit_id = ANY($1)`,
} as const;
