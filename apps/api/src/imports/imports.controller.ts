import {
  BadRequestException,
  Body,
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  HttpCode,
  Logger,
  PayloadTooLargeException,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { InvalidInputError, TooManyRequestsError } from '@keydesk/common';
import {
  Actor,
  FileTooLargeError,
  IMPORT_XLSX_CONTENT_TYPE,
  ImportDownload,
  ImportsService,
  ImportView,
  MAX_IMPORT_BYTES,
} from '@keydesk/domain';
import { CurrentActor, Roles } from '../auth/auth.guard';
import { exportSlots } from '../http/export-response';
import { IdParam } from '../http/query.dto';
import { ApplyImportDto, UploadImportDto } from './imports.dto';

/** What multer hands over for the `file` field (memory storage: the bytes themselves). */
interface UploadedSpreadsheet {
  originalname: string;
  buffer: Buffer;
}

/**
 * The upload's multipart parsing: one file in field `file`, held in memory up to 20 MiB (it is
 * stored in PostgreSQL next), its name read as UTF-8 (browsers send Chinese names so), and
 * nothing else: no text field (their values would be held in memory too), no second part. A
 * larger file is a 413 saying the limit; anything else in the form a 400.
 */
class SpreadsheetUpload extends FileInterceptor('file', {
  limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 0, fieldSize: 1024, parts: 1, fieldNameSize: 100 },
  defParamCharset: 'utf8',
}) {
  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (error) {
      if (error instanceof PayloadTooLargeException) {
        throw new FileTooLargeError('文件超过 20 MB 的上限，请拆分后分批导入');
      }
      if (error instanceof BadRequestException) {
        throw new InvalidInputError('表单中只能有一个字段 file，即要导入的 .xlsx 或 .csv 文件', [
          { field: 'file', message: 'must be the only part of the form' },
        ]);
      }
      throw error;
    }
  }
}

/** A report parses the whole file again: it counts among the exports one process writes at once. */
function takeDownloadSlot(): () => void {
  try {
    return exportSlots.take();
  } catch (error) {
    if (!(error instanceof TooManyRequestsError)) throw error;
    throw new TooManyRequestsError('正在生成的文件过多，请稍后再下载校验报告', error.retryAfterSeconds);
  }
}

@ApiTags('imports')
@ApiBearerAuth()
@Roles('supervisor', 'admin')
@Controller('imports')
export class ImportsController {
  private readonly logger = new Logger('imports');

  constructor(private readonly imports: ImportsService) {}

  @Get('templates/enterprises.xlsx')
  @ApiOperation({
    summary: 'The ledger import template: headers, a sample row, drop-downs and notes (supervisor, admin)',
  })
  @ApiProduces(IMPORT_XLSX_CONTENT_TYPE)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async template(@CurrentActor() actor: Actor, @Res() response: Response): Promise<void> {
    await this.send(response, await this.imports.template(actor));
  }

  @Post('enterprises')
  @UseInterceptors(SpreadsheetUpload)
  @ApiOperation({
    summary:
      'Upload enterprises for a dry run (.xlsx, or .csv in UTF-8 or GB18030; 20 MB, 200 000 rows): ' +
      'small files come back validated, larger ones validating (supervisor in their districts, admin)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadImportDto })
  @ApiCreatedResponse({ type: ImportView })
  upload(
    @CurrentActor() actor: Actor,
    @Body() _form: UploadImportDto,
    @UploadedFile() file: UploadedSpreadsheet | undefined,
  ): Promise<ImportView> {
    if (!file) {
      throw new InvalidInputError('请在表单字段 file 中上传 .xlsx 或 .csv 文件', [
        { field: 'file', message: 'is required' },
      ]);
    }
    return this.imports.upload(actor, { fileName: file.originalname, bytes: file.buffer });
  }

  @Get(':id')
  @ApiOperation({ summary: 'An import: state, progress, counts, the first errors and updates (its uploader, admin)' })
  get(@CurrentActor() actor: Actor, @IdParam('Import') id: string): Promise<ImportView> {
    return this.imports.get(actor, id);
  }

  @Get(':id/report.xlsx')
  @ApiOperation({ summary: "The dry run's report: the file's rows with a 错误说明 column, bad cells in red" })
  @ApiProduces(IMPORT_XLSX_CONTENT_TYPE)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async report(@CurrentActor() actor: Actor, @IdParam('Import') id: string, @Res() response: Response): Promise<void> {
    const release = takeDownloadSlot();
    try {
      await this.send(response, await this.imports.report(actor, id));
    } finally {
      release();
    }
  }

  @Post(':id/apply')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Write a validated import in the background: mode all (default; 409 while any row is invalid) or valid-rows',
  })
  @ApiAcceptedResponse({ type: ImportView })
  apply(
    @CurrentActor() actor: Actor,
    @IdParam('Import') id: string,
    @Body() body: ApplyImportDto,
  ): Promise<ImportView> {
    return this.imports.apply(actor, id, body.mode);
  }

  /**
   * Streams a workbook. A failure before its first bytes are out (the file could not be read) is
   * answered as a problem detail; after, it can only cut the download short.
   */
  private async send(response: Response, download: ImportDownload): Promise<void> {
    response.status(200);
    response.setHeader('Content-Type', IMPORT_XLSX_CONTENT_TYPE);
    response.setHeader('Content-Disposition', download.contentDisposition);
    response.setHeader('Cache-Control', 'no-store');
    try {
      await download.write(response);
    } catch (error) {
      if (!response.headersSent) {
        response.removeHeader('Content-Disposition');
        throw error;
      }
      this.logger.error(`a workbook download failed: ${(error as Error).message}`);
      response.destroy(error as Error);
    }
  }
}
