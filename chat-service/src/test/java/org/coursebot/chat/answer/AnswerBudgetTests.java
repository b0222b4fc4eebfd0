package org.coursebot.chat.answer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.coursebot.chat.api.CourseFixture;
import org.coursebot.testing.FakeOpenAiServer;
import org.coursebot.testing.FakeOpenAiServerResource;
import org.coursebot.testing.TestDatabase;
import org.coursebot.testing.TestDatabaseResource;
import org.junit.jupiter.api.Test;

/**
 * The daily budget (issue 32): an answer is paid for from the day's budget that every instance shares, at its counted
 * cost; once another instance has spent it, answers are extractive, say why, and the model is not asked.
 */
@QuarkusTest
@TestProfile(AnswerBudgetTests.OneDollar.class)
@QuarkusTestResource(value = TestDatabaseResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "migrate", value = "true"), @ResourceArg(name = "dimension", value = "1536"),
        @ResourceArg(name = "role", value = "chat"), @ResourceArg(name = "jdbc", value = "false")})
@QuarkusTestResource(value = FakeOpenAiServerResource.class, restrictToAnnotatedClass = true)
class AnswerBudgetTests {

    static final String QUESTION = "How do I read a JSON body in Express?";
    static final String REPLY = "Add the express.json() middleware [1].";
    static final String TOKEN = "budget-admin-token";

    TestDatabase database;
    FakeOpenAiServer openAi;

    public static class OneDollar implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("coursebot.answer.mode", "llm", "coursebot.rate-limit.enabled", "false",
                    "coursebot.answer.daily-budget", "1", "coursebot.answer.condense.enabled", "false",
                    "coursebot.admin.token", TOKEN);
        }
    }

    @Test
    void anAnswerIsPaidForAtItsCountedCostThenTheSpentBudgetMakesAnswersExtractive() throws Exception {
        CourseFixture.seed(database);
        openAi.reset();
        openAi.chatReply(REPLY);

        given().contentType("application/json").body(Map.of("question", QUESTION, "k", 3))
                .post("/api/chat").then().statusCode(200).body("mode", equalTo("llm")).body("answer", equalTo(REPLY));

        // Reserved at its most (the prompt + 600 tokens out, at least 0.00036 USD), then settled to the prompt and the
        // dozen tokens written: less than the reservation's output part alone.
        BigDecimal spent = awaitSpentBelow(new BigDecimal("0.00036"));
        assertThat(spent).isPositive();
        assertThat(database.queryString("SELECT written_answers FROM answer_spend WHERE course = ''")).isEqualTo("1");

        // Another instance spends the rest of the day's budget.
        database.execute("UPDATE answer_spend SET spent_usd = 0.99999 WHERE course = ''");
        given().contentType("application/json").body(Map.of("question", QUESTION, "k", 3))
                .post("/api/chat").then().statusCode(200).body("mode", equalTo("extractive"))
                .body("covered", equalTo(true))
                .body("answer", endsWith(AnswerBudget.NOTE))
                .body("citations.size()", org.hamcrest.Matchers.greaterThan(0));

        assertThat(openAi.received("/chat/completions")).as("the model was asked once, for the first answer").hasSize(1);
        assertThat(database.queryString("SELECT budget_downgrades FROM answer_spend WHERE course = ''")).isEqualTo("1");
        assertThat(new BigDecimal(database.queryString("SELECT spent_usd FROM answer_spend WHERE course = ''")))
                .isEqualByComparingTo("0.99999");
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("coursebot_answer_budget_downgraded_total 1.0"));

        // The staff see it: today's spend, answers written and answers the budget made extractive.
        var today = given().auth().oauth2(TOKEN).accept("application/json").queryParam("since", "24h")
                .get("/admin/insights").then().statusCode(200).extract().jsonPath();
        int last = today.getList("days").size() - 1;
        assertThat(today.getDouble("days[" + last + "].spentUsd")).isEqualTo(1.0);
        assertThat(today.getLong("days[" + last + "].writtenAnswers")).isEqualTo(1);
        assertThat(today.getLong("days[" + last + "].budgetDowngrades")).isEqualTo(1);
    }

    /** The day's spend once it is below {@code bound} (the settle is sent after the answer); fails after 10 s. */
    private BigDecimal awaitSpentBelow(BigDecimal bound) throws InterruptedException {
        String sql = "SELECT spent_usd FROM answer_spend WHERE course = ''";
        long limit = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        BigDecimal spent = new BigDecimal(database.queryString(sql));
        while (System.nanoTime() < limit && spent.compareTo(bound) >= 0) {
            Thread.sleep(50);
            spent = new BigDecimal(database.queryString(sql));
        }
        assertThat(spent).as("settled below " + bound).isLessThan(bound);
        return spent;
    }
}
