-- Limits and budgets every chat-service instance shares (issue 32, docs/limits.md). Each instance used to keep its
-- token buckets in its own memory: with N instances behind a balancer, a client got N times its limit. Now a bucket
-- is a row, taken from in one call (one round trip) through a role that may only call these functions
-- (${insights_role}, the question log's: it may not read or change the tables themselves).

-- A token bucket per client key (a daily keyed hash of the client, never an address: chat-service's ClientKeys).
-- UNLOGGED: no WAL for a row written on every request; a crash empties it, which gives every client a full bucket
-- once, and nothing else depends on it.
CREATE UNLOGGED TABLE rate_bucket (
    key         text PRIMARY KEY,
    tokens      double precision NOT NULL,
    refilled_at timestamptz NOT NULL,
    -- Requests refused today: the first refusal of a key counts a limited client.
    refused     integer NOT NULL DEFAULT 0
);

-- Per UTC day: what the limits refused, for the staff's report (a refusal writes here, an allowed request does not).
CREATE TABLE limit_day (
    day              date PRIMARY KEY,
    refused_requests bigint NOT NULL DEFAULT 0,
    limited_clients  integer NOT NULL DEFAULT 0
);

-- Per UTC day and course ('' for questions asked of every course): what the chat model's answers cost, reserved
-- before each answer at its most (its prompt and max_tokens at the model's price) and settled to its counted tokens
-- after; and the answers the budget sent to the extractive answerer.
CREATE TABLE answer_spend (
    day               date    NOT NULL,
    course            text    NOT NULL,
    spent_usd         numeric NOT NULL DEFAULT 0,
    written_answers   integer NOT NULL DEFAULT 0,
    budget_downgrades integer NOT NULL DEFAULT 0,
    -- The budget an answer did not fit under: the course is extractive for the rest of the day unless the budget is
    -- raised above it (answers given back by settling must not switch it to and fro).
    exhausted_budget  numeric,
    PRIMARY KEY (day, course)
);

-- Takes one request from a key's bucket (capacity, refilled at per_minute), creating it full. allowed, or the
-- seconds until one token is back. The row lock orders concurrent takes of one key; different keys never wait.
CREATE FUNCTION coursebot_take_token(bucket text, capacity integer, per_minute integer,
                                     OUT allowed boolean, OUT wait_seconds double precision)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    level     double precision;
    first_refusal boolean;
BEGIN
    INSERT INTO rate_bucket (key, tokens, refilled_at) VALUES (bucket, capacity, clock_timestamp())
    ON CONFLICT (key) DO NOTHING;
    -- The time is read once the row is locked: a take that waited for another sees the tokens that one left.
    SELECT least(capacity, tokens + greatest(0, extract(epoch FROM clock_timestamp() - refilled_at)) * per_minute / 60.0)
      INTO level FROM rate_bucket WHERE key = bucket FOR UPDATE;
    allowed := level >= 1;
    UPDATE rate_bucket SET tokens = CASE WHEN allowed THEN level - 1 ELSE level END, refilled_at = clock_timestamp(),
                           refused = refused + CASE WHEN allowed THEN 0 ELSE 1 END
     WHERE key = bucket RETURNING refused = 1 AND NOT allowed INTO first_refusal;
    IF allowed THEN
        wait_seconds := 0;
        RETURN;
    END IF;
    wait_seconds := (1 - level) * 60.0 / per_minute;
    INSERT INTO limit_day AS d (day, refused_requests, limited_clients)
    VALUES ((now() AT TIME ZONE 'UTC')::date, 1, CASE WHEN first_refusal THEN 1 ELSE 0 END)
    ON CONFLICT (day) DO UPDATE SET refused_requests = d.refused_requests + 1,
                                    limited_clients = d.limited_clients + excluded.limited_clients;
END
$$;

-- Forgets buckets idle for longer than idle (they would be full again anyway). Returns how many.
CREATE FUNCTION coursebot_forget_idle_buckets(idle interval) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
    WITH gone AS (DELETE FROM rate_bucket WHERE refilled_at < clock_timestamp() - idle RETURNING 1)
    SELECT count(*)::integer FROM gone;
$$;

-- Reserves cost_usd of a course's budget for the day (today, UTC) when it fits under budget_usd and the day was not
-- exhausted at this budget: reserved, and the day's spend after. When it does not fit, counts a budget downgrade and
-- marks the day exhausted instead. One statement: two instances reserving at once cannot both take the last of it.
CREATE FUNCTION coursebot_reserve_spend(course_name text, cost_usd numeric, budget_usd numeric,
                                        OUT reserved boolean, OUT spent numeric)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    today date := (now() AT TIME ZONE 'UTC')::date;
BEGIN
    INSERT INTO answer_spend AS s (day, course, spent_usd, written_answers)
    SELECT today, course_name, cost_usd, 1 WHERE cost_usd <= budget_usd
    ON CONFLICT (day, course) DO UPDATE SET spent_usd = s.spent_usd + excluded.spent_usd,
                                            written_answers = s.written_answers + 1
        WHERE s.spent_usd + excluded.spent_usd <= budget_usd
          AND (s.exhausted_budget IS NULL OR s.exhausted_budget < budget_usd)
    RETURNING s.spent_usd INTO spent;
    reserved := FOUND;
    IF reserved THEN
        RETURN;
    END IF;
    INSERT INTO answer_spend AS s (day, course, budget_downgrades, exhausted_budget) VALUES (today, course_name, 1, budget_usd)
    ON CONFLICT (day, course) DO UPDATE SET budget_downgrades = s.budget_downgrades + 1,
        exhausted_budget = greatest(s.exhausted_budget, excluded.exhausted_budget)
    RETURNING s.spent_usd INTO spent;
END
$$;

-- Gives back what a reservation of that day did not use (its estimate minus the answer's counted cost).
CREATE FUNCTION coursebot_settle_spend(spent_on date, course_name text, unused_usd numeric) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
    UPDATE answer_spend SET spent_usd = greatest(0, spent_usd - unused_usd) WHERE day = spent_on AND course = course_name;
$$;

REVOKE ALL ON rate_bucket, limit_day, answer_spend FROM PUBLIC;
REVOKE ALL ON FUNCTION coursebot_take_token(text, integer, integer), coursebot_forget_idle_buckets(interval),
    coursebot_reserve_spend(text, numeric, numeric), coursebot_settle_spend(date, text, numeric) FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${insights_role}') THEN
        EXECUTE format('GRANT EXECUTE ON FUNCTION coursebot_take_token(text, integer, integer), '
            || 'coursebot_forget_idle_buckets(interval), coursebot_reserve_spend(text, numeric, numeric), '
            || 'coursebot_settle_spend(date, text, numeric) TO %I', '${insights_role}');
    END IF;
    -- The staff's report reads the days with the search role, as it reads the question log.
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${chat_role}') THEN
        EXECUTE format('GRANT SELECT ON limit_day, answer_spend TO %I', '${chat_role}');
    END IF;
END
$$;

COMMENT ON TABLE course_chunk IS 'coursebot-schema:9';
