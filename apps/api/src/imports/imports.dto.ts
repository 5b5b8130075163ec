import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IMPORT_MODES, type ImportMode } from '@keydesk/database';
import { Omittable } from '../http/validators';

/** The multipart form of an upload: the file alone (other fields are refused). */
export class UploadImportDto {
  /** The spreadsheet: .xlsx, or .csv in UTF-8 or GB18030 (GBK); at most 20 MB and 200 000 rows. */
  @ApiProperty({ type: 'string', format: 'binary' })
  @IsOptional()
  file?: unknown;
}

export class ApplyImportDto {
  /** `all` (the default): every row, refused with 409 while any row is invalid; `valid-rows`: only the valid rows. */
  @Omittable()
  @IsIn(IMPORT_MODES)
  @ApiProperty({ enum: IMPORT_MODES, required: false })
  mode?: ImportMode;
}
