// Prisma errors the code acts on, recognised in one place.

/** A unique constraint said no (P2002): a redelivery, a claim another instance won, a duplicate dedupe key. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}
