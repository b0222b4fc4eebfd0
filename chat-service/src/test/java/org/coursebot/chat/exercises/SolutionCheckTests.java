package org.coursebot.chat.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SolutionCheckTests {

    static final ExerciseSection PHONEBOOK = new ExerciseSection("demo", "Exercise 2.5: persons from the database",
            "https://c.test/part2/c/#exercise-2-5", "Change every phonebook route to use the database through a pool."
            + " Read the connection string from DATABASE_URL and keep the schema in schema.sql; GET /api/persons"
            + " returns all entries.");

    @Test
    void theExercisesNamesAreItsPathsFilesAndConstants() {
        assertThat(SolutionCheck.names(PHONEBOOK.statement())).containsExactly("DATABASE_URL", "schema.sql", "/api/persons");
    }

    @Test
    void aLongCodeBlockIsASolutionWhateverItUses() {
        String answer = "Like this:\n```js\nconst a = 1\nconst b = 2\nconst c = 3\nconst d = 4\nconst e = 5\n```\n";
        assertThat(SolutionCheck.solutionIn(answer, PHONEBOOK, 4)).hasValue("a code block of 5 lines (more than 4)");
        assertThat(SolutionCheck.solutionIn(answer, null, 5)).as("at the limit").isEmpty();
    }

    @Test
    void aShortBlockThatUsesTwoOfTheExercisesNamesIsOneAndOneNameIsNot() {
        String two = "```js\nconst pool = new Pool({ connectionString: process.env.DATABASE_URL })\n"
                + "app.get('/api/persons', async (req, res) => res.json((await pool.query('SELECT * FROM persons')).rows))\n```";
        assertThat(SolutionCheck.solutionIn(two, PHONEBOOK, 4))
                .hasValue("a code block with the exercise's names DATABASE_URL, /api/persons");
        String one = "A pool reads its address from the environment:\n```js\nnew Pool({ connectionString: process.env.DATABASE_URL })\n```";
        assertThat(SolutionCheck.solutionIn(one, PHONEBOOK, 4)).isEmpty();
    }

    @Test
    void proseWithoutACodeBlockPassesEvenWithTheNames() {
        assertThat(SolutionCheck.solutionIn("Read DATABASE_URL and look at what /api/persons should return [2].",
                PHONEBOOK, 4)).isEmpty();
    }
}
