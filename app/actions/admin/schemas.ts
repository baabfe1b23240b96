import { z } from 'zod';
import { noNul } from '@/app/requests/schema';
import { ROLES } from '@/db/vocabulary';

export const roleSchema = z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}` });
export const userIdSchema = z
  .string()
  .min(1, 'userId is required')
  .max(100)
  .refine(...noNul('userId'));
