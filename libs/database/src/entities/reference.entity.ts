import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'districts' })
export class District {
  @PrimaryColumn({ type: 'varchar', length: 6 })
  code: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;
}

@Entity({ name: 'industries' })
export class Industry {
  @PrimaryColumn({ type: 'varchar', length: 1 })
  code: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;
}

/** The national occupation classification; codes 1-8 are the major groups, finer codes may follow. */
@Entity({ name: 'occupation_categories' })
export class OccupationCategory {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'parent_code', type: 'varchar', length: 16, nullable: true })
  parentCode: string | null;
}
