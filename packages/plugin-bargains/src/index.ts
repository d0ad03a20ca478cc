export { bargainsMigrations } from './migrations.js';
