import { z } from 'zod';
import { ROLES } from '@/db/auth-schema';
import { noNul } from '@/worker/request-schema';

export const roleSchema = z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}` });
export const userIdSchema = z
  .string()
  .min(1, 'userId is required')
  .max(100)
  .refine(...noNul('userId'));
