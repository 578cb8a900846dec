package dev.ponder.serve;

import static org.junit.jupiter.api.Assertions.*;

import dev.ponder.engine.model.Model;
import dev.ponder.knowledge.Document;
import dev.ponder.knowledge.LibraryIndex;
import dev.ponder.testutil.HeadlessChrome;
import dev.ponder.think.Budget;
import dev.ponder.think.Calibration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at {@code /} in headless Chromium against an in-process server running ponder-nano over a small
 * library: a question the model pauses on, its coloured tokens and their alternatives, the pause card with its
 * strategy and passages, a calculator call in a draft, a countdown search, an abstention, and a document added through the form that the next question finds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageTest {
    static final String KEY = "web-key";
    static final Path SCREENSHOT = Path.of("target", "screenshots", "ponder-web.png");

    @TempDir static Path dir;
    static Model model;
    static BatchingBackend batching;
    static LibraryIndex library;
    static PonderServer server;
    static ChromeDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChrome.start(1280, 1500); // first: skips before loading anything when there is no browser
        model = Model.load(Path.of("models/ponder-nano.gguf"));
        library = LibraryIndex.open(dir.resolve("index"));
        library.add(new Document("person-1", "Zuru Voto", "Zuru Voto is a weaver who works at Kelra Group. Voto was born in 1859 in Neslelby."));
        library.add(new Document("company-1", "Kelra Group", "Kelra Group is a company founded in 1883 by Zuru Voto. Its headquarters are in Nububy."));
        library.add(new Document("city-1", "Neslelby", "Neslelby is a city in Piperia, founded in 1723."));
        // world 7's person-0374: read, the model copies "Vol" and completes "Voltes Textiles" from memory
        library.add(new Document("person-2", "Tubo Zunulos", "Tubo Zunulos is a sculptor who works at Volus Textiles. Zunulos was born in 2000 in Rukavale."));
        batching = new BatchingBackend(model, "nano", 2, 16);
        server = new PonderServer(batching, library, new PonderServer.Options("ponder-nano", KEY, 1 << 16, 64, 4,
                Calibration.fallback(), Budget.defaults()).withSearchNodes(8)).start("127.0.0.1", 0);
        wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        browser.get("http://127.0.0.1:" + server.port() + "/");
        Files.createDirectories(SCREENSHOT.getParent());
        WebElement key = browser.findElement(By.id("api-key"));
        key.sendKeys(KEY);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (server != null) server.close();
        if (batching != null) batching.close();
        if (library != null) library.close();
        if (model != null) model.close();
    }

    /** Types the question, presses Enter (the keyboard path), and waits until its exchange is finished. */
    static WebElement ask(String question) {
        int before = browser.findElements(By.cssSelector("#log .exchange")).size();
        browser.findElement(By.id("question")).sendKeys(question, Keys.ENTER);
        wait.until(d -> d.findElements(By.cssSelector("#log .exchange[aria-busy=false]")).size() == before + 1);
        WebElement ex = browser.findElements(By.cssSelector("#log .exchange")).get(before);
        assertEquals(question, ex.findElement(By.cssSelector(".question")).getText());
        assertTrue(ex.findElements(By.cssSelector(".error")).isEmpty(), () -> ex.getText());
        return ex;
    }

    /** Opens pause card {@code n} with the keyboard (focus its summary, press Enter) and returns its passages. */
    static List<WebElement> openPause(WebElement ex, int n) {
        WebElement card = ex.findElement(By.cssSelector("details.pause[data-pause='" + n + "']"));
        assertFalse(card.findElement(By.cssSelector(".passage")).isDisplayed(), "a pause card starts collapsed");
        card.findElement(By.tagName("summary")).sendKeys(Keys.ENTER);
        wait.until(d -> card.getDomAttribute("open") != null);
        return card.findElements(By.cssSelector(".passage"));
    }

    @Test
    @Order(1)
    void theStatusShowsTheServer() {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "ponder-nano"));
        assertTrue(browser.findElement(By.id("status")).getText().contains("slow thinking"));
    }

    @Test
    @Order(2)
    void aPausedAnswerShowsItsTokensAndWhyItPaused() throws Exception {
        WebElement ex = ask("Which city is Zuru Voto originally from?");
        // the first draft's tokens, coloured by probability, each with its alternatives on hover
        List<WebElement> tokens = ex.findElements(By.cssSelector(".tok[data-p]"));
        assertFalse(tokens.isEmpty(), ex.getText());
        WebElement first = tokens.getFirst();
        String bg = first.getCssValue("background-color");
        assertTrue(bg.startsWith("rgb") && !bg.equals("rgba(0, 0, 0, 0)"), "a token is coloured: " + bg);
        new Actions(browser).moveToElement(first).perform();
        WebElement tip = browser.findElement(By.id("tip"));
        wait.until(ExpectedConditions.visibilityOf(tip));
        List<WebElement> alts = tip.findElements(By.cssSelector("tr.alt"));
        assertTrue(alts.size() >= 2, "the tooltip lists alternatives: " + tip.getText());
        assertTrue(tip.getText().contains("%"), tip.getText());

        // the model does not know Zuru Voto: it pauses; the card says why and shows the passages found
        assertFalse(ex.findElements(By.cssSelector("details.pause")).isEmpty(), "the model paused: " + ex.getText());
        List<WebElement> passages = openPause(ex, 1);
        WebElement zuru = passages.stream().filter(p -> "person-1".equals(p.getDomAttribute("data-doc-id"))).findFirst()
                .orElseThrow(() -> new AssertionError("person-1 among the passages: " + ex.getText()));
        assertTrue(zuru.isDisplayed());
        assertTrue(zuru.getText().contains("person-1") && zuru.getText().contains("Zuru Voto") && zuru.getText().contains("score"), zuru.getText());
        assertTrue(zuru.getText().contains("used"), zuru.getText());
        String card = ex.findElement(By.cssSelector("details.pause[data-pause='1']")).getText();
        assertTrue(card.contains("Why it paused") && card.contains("threshold") && card.contains("Weakest token"), card);
        assertTrue(card.contains("Query:") && card.contains("Rolled back") && card.contains("discarded"), card);
        // the strategy the controller chose for the pause, and why: a fact in doubt is looked up
        WebElement strategy = ex.findElement(By.cssSelector("details.pause[data-pause='1'] .strategy"));
        assertEquals("retrieve", strategy.getDomAttribute("data-strategy"), strategy.getText());
        assertTrue(strategy.getText().startsWith("Strategy: retrieve — "), strategy.getText());
        assertFalse(strategy.findElement(By.cssSelector(".strategy-reason")).getText().isBlank(), strategy.getText());

        // the outcome and a final confidence (or, if it could not settle, a distinct abstention)
        assertTrue(ex.getText().contains("Outcome:"), ex.getText());
        boolean abstained = !ex.findElements(By.cssSelector(".abstain")).isEmpty();
        if (!abstained) {
            WebElement meter = ex.findElement(By.cssSelector(".final-confidence meter"));
            double c = Double.parseDouble(meter.getDomProperty("value"));
            assertTrue(c > 0 && c <= 1, "confidence " + c);
            assertFalse(ex.findElements(By.cssSelector(".answer .text .tok")).isEmpty(), "the answer's tokens are coloured");
        }

        new Actions(browser).moveToElement(first).perform(); // the tooltip in the picture
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(SCREENSHOT) > 10_000);
    }

    @Test
    @Order(3)
    void aToolCallInTheDraftShowsItsArgumentsResultAndTime() throws Exception {
        WebElement ex = ask("By 2052, Dofi Rabule had lived for how many years?");
        List<WebElement> calls = ex.findElements(By.cssSelector(".tool-call"));
        assertFalse(calls.isEmpty(), "the draft's tool call is shown: " + ex.getText());
        WebElement call = calls.getFirst();
        assertEquals("calc", call.getDomAttribute("data-tool"));
        assertTrue(call.isDisplayed());
        assertEquals("<<calc 2052-1982>>", call.findElement(By.cssSelector(".call")).getText(), call.getText());
        assertEquals("70", call.findElement(By.cssSelector(".result")).getText(), "the exact result: " + call.getText());
        assertTrue(call.getText().contains("exact") && call.getText().matches("(?s).*\\d+(\\.\\d)? ms.*"), call.getText());
        assertTrue(ex.findElements(By.cssSelector(".tool-call.failed")).isEmpty(), ex.getText());
        // the call comes before the draft it completed, which shows the result where the call closed
        String steps = ex.findElement(By.cssSelector(".steps")).getText();
        assertTrue(steps.indexOf("Paused for a tool:") < steps.indexOf("First draft:"), steps);
        assertEquals("70", ex.findElement(By.cssSelector(".steps .inserted")).getText(), steps);
        assertTrue(steps.contains("<<calc 2052-1982>>70"), steps);
        new Actions(browser).scrollToElement(call).perform();
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT.resolveSibling("ponder-web-tool.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(4)
    void aCountdownSearchShowsItsAlgorithmEffortAndBestAnswer() throws Exception {
        WebElement ex = ask("Combine 4, 8, 75, 100 with + - * / (each at most once) to get 150.");
        assertTrue(ex.getText().contains("search:mcts"), ex.getText());
        if (ex.getText().contains("verified without a pause")) return; // the draft was right: nothing to search
        WebElement card = ex.findElement(By.cssSelector("details.pause[data-pause='1']"));
        card.findElement(By.tagName("summary")).sendKeys(Keys.ENTER);
        wait.until(d -> card.getDomAttribute("open") != null);
        assertEquals("search", card.findElement(By.cssSelector(".strategy")).getDomAttribute("data-strategy"), card.getText());
        WebElement search = card.findElement(By.cssSelector(".search[data-algorithm=mcts]"));
        assertTrue(search.isDisplayed());
        assertTrue(search.getText().matches("(?s)mcts · [1-8] nodes, \\d+ tokens.*Best answer: .*"), search.getText());
        assertEquals(1, search.findElements(By.cssSelector(".badge.verified, .badge.rejected")).size(), search.getText());
        assertTrue(card.findElement(By.tagName("summary")).getText().contains("mcts search:"), card.getText());
        new Actions(browser).scrollToElement(search).perform();
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT.resolveSibling("ponder-web-search.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(4)
    void aConsultationAfterReadingShowsTheVotesAndWhatWasTaken() throws Exception {
        WebElement ex = ask("For which company does Tubo Zunulos work?");
        List<WebElement> cards = ex.findElements(By.cssSelector("details.pause"));
        assertFalse(cards.isEmpty(), () -> "it pauses to read: " + ex.getText());
        WebElement card = cards.getFirst();
        card.findElement(By.tagName("summary")).sendKeys(Keys.ENTER);
        wait.until(d -> card.getDomAttribute("open") != null);
        List<WebElement> consults = card.findElements(By.cssSelector(".consult"));
        assertEquals(1, consults.size(), () -> "the unsupported re-draft is consulted on: " + card.getText());
        WebElement c = consults.getFirst();
        assertTrue(c.isDisplayed());
        assertTrue(card.getText().contains("Consulted 16 samples"), card.getText());
        assertTrue(c.getText().contains("is not in the passages read"), c.getText());
        assertTrue(c.getText().contains("Taken: ") || c.getText().contains("The draft stays."), c.getText());
        assertTrue(card.findElement(By.tagName("summary")).getText().contains("consulted:"), card.getText());
    }

    @Test
    @Order(5)
    void anAbstentionSaysIDontKnowAndWhatItTried() throws Exception {
        WebElement ex = ask("Who is the spouse of Qorvath Imbel?");
        List<WebElement> found = ex.findElements(By.cssSelector(".abstain"));
        assertEquals(1, found.size(), () -> "an abstention card: " + ex.getText());
        WebElement abstain = found.getFirst();
        assertTrue(abstain.getText().startsWith("I don't know"), abstain.getText());
        assertTrue(abstain.getText().contains("What it tried") && abstain.getText().contains("Searched"), abstain.getText());
        assertFalse(ex.findElement(By.cssSelector(".answer")).isDisplayed(), "no answer is shown beside the abstention");
        new Actions(browser).scrollToElement(abstain).perform();
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT.resolveSibling("ponder-web-abstain.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(6)
    void aDocumentAddedWithTheFormIsFoundByTheNextQuestion() {
        browser.findElement(By.id("doc-id")).sendKeys("person-77");
        browser.findElement(By.id("doc-title-input")).sendKeys("Mira Talo");
        browser.findElement(By.id("doc-text")).sendKeys("Mira Talo is a potter who works at Kelra Group. Talo was born in 1901 in Nububy.");
        browser.findElement(By.id("doc-add")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("doc-status"), "Added person-77"));
        assertEquals(5, library.size());
        assertEquals("Mira Talo", library.get("person-77").orElseThrow().title());

        WebElement ex = ask("Which city is Mira Talo originally from?");
        List<WebElement> passages = openPause(ex, 1);
        assertTrue(passages.stream().anyMatch(p -> "person-77".equals(p.getDomAttribute("data-doc-id")) && p.getText().contains("Mira Talo")),
                "the new document is among the passages: " + ex.getText());
    }

    @Test
    @Order(6)
    void aDecomposedQuestionShowsItsSubQuestions() throws Exception {
        // the committed calibration (the fallback's naive confidence trusts the one-hop draft), on a second server
        try (PonderServer calibrated = new PonderServer(batching, library, new PonderServer.Options("ponder-nano", KEY, 1 << 16, 64, 4,
                Calibration.load(Path.of("models/ponder-nano.calibration.json")), Budget.defaults())).start("127.0.0.1", 0)) {
            browser.get("http://127.0.0.1:" + calibrated.port() + "/");
            browser.findElement(By.id("api-key")).sendKeys(KEY); // another origin: its own stored key
            WebElement ex = ask("Which country is the birthplace of Zuru Voto located in?");
            List<WebElement> subs = ex.findElements(By.cssSelector(".sub-question"));
            assertEquals(2, subs.size(), ex.getText());
            WebElement card = subs.getFirst().findElement(By.xpath("ancestor::details[contains(@class,'pause')]"));
            card.findElement(By.tagName("summary")).sendKeys(Keys.ENTER);
            wait.until(d -> card.getDomAttribute("open") != null);
            assertEquals("decompose", card.findElement(By.cssSelector(".strategy")).getDomAttribute("data-strategy"), card.getText());
            assertEquals("inner", subs.get(0).getDomAttribute("data-role"));
            assertTrue(subs.get(0).getText().contains("What is the birthplace of Zuru Voto?"), subs.get(0).getText());
            assertEquals("outer", subs.get(1).getDomAttribute("data-role"));
            assertTrue(subs.get(1).getText().contains("Which country is"), subs.get(1).getText());
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT.resolveSibling("ponder-web-decompose.png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.get("http://127.0.0.1:" + server.port() + "/");
        }
    }

    @Test
    @Order(7)
    void aWrongKeyIsReportedAndTheKeyIsRemembered() {
        WebElement key = browser.findElement(By.id("api-key"));
        key.clear();
        key.sendKeys("wrong");
        browser.navigate().refresh();
        assertEquals("wrong", browser.findElement(By.id("api-key")).getDomProperty("value"), "the key is kept in localStorage");
        browser.findElement(By.id("question")).sendKeys("Where was Lurku Pikirken born?", Keys.ENTER);
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#log .exchange .error")));
        assertTrue(error.getText().contains("incorrect API key") && error.getText().contains("401"), error.getText());
    }
}
