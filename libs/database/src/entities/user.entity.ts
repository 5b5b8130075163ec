import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from './enums';

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32, unique: true })
  username: string;

  @Column({ name: 'display_name', type: 'varchar', length: 64 })
  displayName: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  /** Supervisors only: the districts they oversee; empty means the whole city. */
  @Column({ name: 'district_codes', type: 'text', array: true, default: () => "'{}'" })
  districtCodes: string[];

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash: string;

  /** When the password was last set or the account (de)activated. */
  @Column({ name: 'credentials_changed_at', type: 'timestamptz' })
  credentialsChangedAt: Date;

  /** Carried in every access token; a password reset or a deactivation raises it, ending every session. */
  @Column({ name: 'session_version', type: 'int', default: 1 })
  sessionVersion: number;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
