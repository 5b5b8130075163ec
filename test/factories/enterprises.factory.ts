import { creditCodeFor, seededRandom } from '../../apps/cli/src/demo/demo-data';
import type { TestApp } from '../support/test-app';

const random = seededRandom(Number(process.env.JEST_WORKER_ID ?? 1) * 7919);
let sequence = 0;

/** A valid, unique credit code registered in the district. */
export function uniqueCreditCode(districtCode = '220102'): string {
  return creditCodeFor(random, districtCode);
}

/** A complete, valid body for POST /enterprises. */
export function enterpriseInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  const districtCode = (overrides.districtCode as string | undefined) ?? '220102';
  return {
    name: `长春测试机械制造有限公司${sequence}`,
    creditCode: uniqueCreditCode(districtCode),
    industryCode: 'C',
    districtCode,
    address: `长春市人民大街${sequence}号`,
    tier: 'municipal',
    employeeCount: 100 + sequence,
    contactName: '王伟',
    contactPhone: '13912345678',
    ...overrides,
  };
}

export interface CreatedEnterprise {
  id: string;
  version: number;
  districtCode: string;
  commissionerId: string | null;
  [field: string]: unknown;
}

/** Creates an enterprise through the API as the given (admin or supervisor) caller. */
export async function createEnterprise(
  t: TestApp,
  auth: string,
  overrides: Record<string, unknown> = {},
): Promise<CreatedEnterprise> {
  const response = await t
    .http()
    .post('/api/v1/enterprises')
    .set('Authorization', auth)
    .send(enterpriseInput(overrides));
  if (response.status !== 201) {
    throw new Error(`creating an enterprise answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body as CreatedEnterprise;
}
