import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor';
import { EnterpriseView } from '../enterprises/enterprise.view';
import { AssignCommissionerInput, EnterprisesService } from '../enterprises/enterprises.service';
import { ProblemsService } from '../problems/problems.service';
import { TransactionContext } from '../transactions/transaction-context';

/**
 * Hands an enterprise to another commissioner, keeping the assignment history. The enterprise
 * (and what hangs off it) leaves the old commissioner's scope at once, and its unfinished problems
 * assigned to the old commissioner move to the new one, in the same transaction. The ledger sits
 * below problems, so the problems' part is composed here rather than called from the ledger.
 */
@Injectable()
export class ReassignEnterpriseWorkflow {
  constructor(
    private readonly tx: TransactionContext,
    private readonly enterprises: EnterprisesService,
    private readonly problems: ProblemsService,
  ) {}

  async run(actor: Actor, id: string, input: AssignCommissionerInput): Promise<EnterpriseView> {
    await this.tx.run(async () => {
      const reassignment = await this.enterprises.reassign(actor, id, input);
      if (!reassignment) return;
      const { previous, at } = reassignment;
      await this.problems.handOver(actor, id, previous, input.commissionerId, input.reason, at);
    });
    return this.enterprises.get(actor, id);
  }
}
