-- Written by hand: "case_search_like" (migrations-postgres/*_case_search_chars), the LIKE that
-- rechecks each case the index of characters gives a term of one or two characters, the same test
-- in PL/pgSQL instead of SQL. A SQL function that is not inlined (it must not be: the planner would
-- see the LIKE, see *_case_search_chars) runs its body through an executor of its own for each
-- statement and call: at 1M cases a rare character's overdue page (禽: 727 of the 806 open cases
-- the index gave) spent 2 to 3.5 ms in it, 1 to 1.4 ms as PL/pgSQL (0.6 to 0.9 with the LIKE
-- written in the statement). PL/pgSQL is never inlined either, so the planner sees what it saw:
-- the same default estimate, the same COST 1, the same plans. Same arguments and result.
CREATE OR REPLACE FUNCTION "case_search_like"(n text, t text, a text, p text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1 AS $$
BEGIN
  RETURN t LIKE p ESCAPE '\' OR n LIKE p ESCAPE '\' OR a LIKE p ESCAPE '\';
END
$$;
