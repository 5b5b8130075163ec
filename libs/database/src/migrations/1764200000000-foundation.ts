import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, reference data, settings, the enterprise ledger with its history, and the audit trail. */
export class Foundation1764200000000 implements MigrationInterface {
  name = 'Foundation1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE districts (
        code varchar(6) PRIMARY KEY,
        name varchar(64) NOT NULL,
        sort_order int NOT NULL
      )`);
    await q.query(`
      CREATE TABLE industries (
        code varchar(1) PRIMARY KEY,
        name varchar(64) NOT NULL
      )`);
    await q.query(`
      CREATE TABLE occupation_categories (
        code varchar(16) PRIMARY KEY,
        name varchar(64) NOT NULL,
        parent_code varchar(16) REFERENCES occupation_categories (code)
      )`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(32) NOT NULL,
        display_name varchar(64) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('admin', 'supervisor', 'commissioner')),
        district_codes text[] NOT NULL DEFAULT '{}',
        phone varchar(20),
        active boolean NOT NULL DEFAULT true,
        password_hash text NOT NULL,
        credentials_changed_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_username_key UNIQUE (username),
        CONSTRAINT users_districts_only_for_supervisors CHECK (role = 'supervisor' OR district_codes = '{}')
      )`);

    await q.query(`
      CREATE TABLE settings (
        id smallint PRIMARY KEY CHECK (id = 1),
        sla_days jsonb NOT NULL,
        visit_cadence_days jsonb NOT NULL,
        reminder_offsets jsonb NOT NULL,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE enterprises (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        credit_code varchar(18) NOT NULL,
        industry_code varchar(1) NOT NULL REFERENCES industries (code),
        district_code varchar(6) NOT NULL REFERENCES districts (code),
        address varchar(300) NOT NULL,
        tier varchar(16) NOT NULL CHECK (tier IN ('provincial', 'municipal', 'district')),
        employee_count int NOT NULL CHECK (employee_count >= 0),
        contact_name varchar(50) NOT NULL,
        contact_phone varchar(20) NOT NULL,
        visit_cadence_days int CHECK (visit_cadence_days BETWEEN 1 AND 366),
        commissioner_id uuid REFERENCES users (id),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
        shortage int NOT NULL DEFAULT 0 CHECK (shortage >= 0),
        last_visit_at timestamptz,
        next_visit_due_at timestamptz,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT enterprises_credit_code_key UNIQUE (credit_code)
      )`);
    // The ledger list filters by status first, then district or commissioner, and sorts by name by default.
    await q.query(`CREATE INDEX enterprises_status_name_idx ON enterprises (status, name)`);
    await q.query(`CREATE INDEX enterprises_district_idx ON enterprises (district_code, status)`);
    await q.query(`CREATE INDEX enterprises_commissioner_idx ON enterprises (commissioner_id, status)`);
    await q.query(`CREATE INDEX enterprises_next_visit_idx ON enterprises (next_visit_due_at) WHERE status = 'active'`);

    await q.query(`
      CREATE TABLE enterprise_revisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprises (id),
        actor_id uuid REFERENCES users (id),
        action varchar(32) NOT NULL,
        changes jsonb NOT NULL,
        version int NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX enterprise_revisions_enterprise_idx ON enterprise_revisions (enterprise_id, version)`);

    await q.query(`
      CREATE TABLE enterprise_assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprises (id),
        commissioner_id uuid NOT NULL REFERENCES users (id),
        previous_commissioner_id uuid REFERENCES users (id),
        reason varchar(500) NOT NULL,
        assigned_by_id uuid REFERENCES users (id),
        assigned_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX enterprise_assignments_enterprise_idx ON enterprise_assignments (enterprise_id, assigned_at)`,
    );

    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        actor_id uuid REFERENCES users (id),
        action varchar(64) NOT NULL,
        entity_type varchar(32) NOT NULL,
        entity_id uuid NOT NULL,
        request_id varchar(64),
        details jsonb,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, at)`);

    await q.query(`
      INSERT INTO districts (code, name, sort_order) VALUES
        ('220102', '南关区', 1), ('220103', '宽城区', 2), ('220104', '朝阳区', 3), ('220105', '二道区', 4),
        ('220106', '绿园区', 5), ('220112', '双阳区', 6), ('220113', '九台区', 7), ('220122', '农安县', 8),
        ('220182', '榆树市', 9), ('220183', '德惠市', 10), ('220184', '公主岭市', 11),
        ('220171', '经济技术开发区', 12), ('220172', '净月高新技术产业开发区', 13),
        ('220173', '高新技术产业开发区', 14), ('220174', '汽车经济技术开发区', 15)`);
    await q.query(`
      INSERT INTO industries (code, name) VALUES
        ('A', '农、林、牧、渔业'), ('B', '采矿业'), ('C', '制造业'),
        ('D', '电力、热力、燃气及水生产和供应业'), ('E', '建筑业'), ('F', '批发和零售业'),
        ('G', '交通运输、仓储和邮政业'), ('H', '住宿和餐饮业'), ('I', '信息传输、软件和信息技术服务业'),
        ('J', '金融业'), ('K', '房地产业'), ('L', '租赁和商务服务业'), ('M', '科学研究和技术服务业'),
        ('N', '水利、环境和公共设施管理业'), ('O', '居民服务、修理和其他服务业'), ('P', '教育'),
        ('Q', '卫生和社会工作'), ('R', '文化、体育和娱乐业'), ('S', '公共管理、社会保障和社会组织'),
        ('T', '国际组织')`);
    await q.query(`
      INSERT INTO occupation_categories (code, name) VALUES
        ('1', '党的机关、国家机关、群众团体和社会组织、企事业单位负责人'),
        ('2', '专业技术人员'), ('3', '办事人员和有关人员'), ('4', '社会生产服务和生活服务人员'),
        ('5', '农、林、牧、渔业生产及辅助人员'), ('6', '生产制造及有关人员'), ('7', '军人'),
        ('8', '不便分类的其他从业人员')`);
    await q.query(`
      INSERT INTO settings (id, sla_days, visit_cadence_days, reminder_offsets) VALUES (1,
        '{"urgent": 1, "high": 3, "normal": 7, "low": 15}',
        '{"provincial": 14, "municipal": 30, "district": 60}',
        '{"visitUpcomingDays": 3, "visitOverdueDays": 1, "problemDueSoonHours": 24, "problemLongOverdueDays": 3, "demandStaleDays": 30}')`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_events',
      'enterprise_assignments',
      'enterprise_revisions',
      'enterprises',
      'settings',
      'users',
      'occupation_categories',
      'industries',
      'districts',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
