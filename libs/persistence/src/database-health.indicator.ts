import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Readiness of the database: it answers a trivial query. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<void> {
    if (!this.dataSource.isInitialized) throw new Error('database connection is not open');
    await this.dataSource.query('SELECT 1');
  }
}
