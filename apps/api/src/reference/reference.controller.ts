import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReferenceItemView, ReferenceService } from '@keydesk/domain';

@ApiTags('reference')
@ApiBearerAuth()
@Controller('reference')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('districts')
  @ApiOperation({ summary: "Changchun's districts, counties and development zones" })
  districts(): Promise<ReferenceItemView[]> {
    return this.reference.districts();
  }

  @Get('industries')
  @ApiOperation({ summary: 'GB/T 4754-2017 sections A–T' })
  industries(): Promise<ReferenceItemView[]> {
    return this.reference.industries();
  }

  @Get('occupation-categories')
  @ApiOperation({ summary: 'The major groups of the national occupation classification' })
  occupationCategories(): Promise<ReferenceItemView[]> {
    return this.reference.occupationCategories();
  }
}
