import { Module } from '@nestjs/common';

import { ReadTokenGuard } from '../auth/read-token.guard.js';
import { StatusModule } from '../status/status.module.js';
import { CostController } from './cost.controller.js';
import { CostJobsService } from './cost-jobs.service.js';

/** Costs: the read API, the daily pull, the Monday reports and re-allocation on catalog change. */
@Module({
  imports: [StatusModule],
  controllers: [CostController],
  providers: [ReadTokenGuard, CostJobsService],
})
export class CostModule {}
