package org.coursebot.testing;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** The course's words: part and module titles, topics, prose sentences and code samples built from them. */
final class CourseText {

    /** One part of the course: its title, module titles, lesson topics, terms and code identifiers. */
    record Part(String title, List<String> modules, List<String> topics, List<String> terms, List<String> code,
            int jsPercent, int shellPercent) {

        static Part of(String title, String modules, String topics, String terms, String code, int js, int shell) {
            return new Part(title, List.of(modules.split("\\|")), List.of(topics.split("\\|")),
                    List.of(terms.split("\\|")), List.of(code.split("\\|")), js, shell);
        }
    }

    static final List<Part> PARTS = List.of(
            Part.of("Introduction to React",
                    "Introduction to React|JavaScript|Component state, event handlers"
                            + "|A more complex state, debugging React apps|Fundamentals of web apps",
                    "Component helper functions|Destructuring|Page re-rendering|Stateful component|Event handling"
                            + "|Passing state to child components|Changes in state cause rendering"
                            + "|Refactoring the components|Complex state|Handling arrays"
                            + "|Update of the state is asynchronous|Conditional rendering|Debugging React applications"
                            + "|Rules of Hooks|A function that returns a function"
                            + "|Do not define components within components|Variables|Arrays|Objects|Functions"
                            + "|Object methods and this|Classes|HTTP GET|Document Object Model|CSS"
                            + "|Loading a page containing JavaScript|Forms and HTTP POST|AJAX|Single page app"
                            + "|JavaScript libraries|Full-stack web development",
                    "component|props|state|hook|JSX|render|event handler|browser|console|element|closure"
                            + "|arrow function|DOM|template string|virtual DOM",
                    "useState|props.children|console.log|onClick|setCounter|App.jsx|main.jsx|npm run dev"
                            + "|document.getElementById|Array.prototype.map",
                    80, 20),
            Part.of("Communicating with server",
                    "Rendering a collection, modules|Forms|Getting data from server|Altering data in server"
                            + "|Adding styles to React app",
                    "Visual Studio Code snippets|JavaScript Arrays|Event handlers revisited|Rendering Collections"
                            + "|Key-attribute|Map|Array Indexes as Keys|Refactoring Modules|When the Application Breaks"
                            + "|Saving the notes in the component state|Controlled component"
                            + "|Filtering Displayed Elements|The browser as a runtime environment|npm"
                            + "|Axios and promises|Effect-hooks|The development runtime environment|REST"
                            + "|Sending Data to the Server|Changing the Importance of Notes"
                            + "|Extracting Communication with the Backend into a Separate Module"
                            + "|Cleaner Syntax for Defining Object Literals|Promises and Errors"
                            + "|Improved error message|Inline styles",
                    "axios|promise|json-server|effect hook|REST API|resource|endpoint|HTTP request|module"
                            + "|key attribute|form|controlled component|stylesheet|callback|event loop",
                    "axios.get|useEffect|then|catch|key|noteService.getAll|event.preventDefault()"
                            + "|db.json|npx json-server --port 3001 db.json|className",
                    80, 20),
            Part.of("Programming a server with NodeJS and Express",
                    "Node.js and Express|Deploying app to internet|Saving data to MongoDB|Validation and ESLint"
                            + "|Middleware and error handling",
                    "Simple web server|Express|Web and Express|nodemon|Fetching a single resource"
                            + "|Deleting resources|Postman|The Visual Studio Code REST client|Receiving data"
                            + "|About HTTP request types|Middleware|Same origin policy and CORS"
                            + "|Application to the Internet|Frontend production build"
                            + "|Serving static files from the backend|Streamlining deploying of the frontend|Proxy"
                            + "|Debugging Node applications|MongoDB|Schema|Creating and saving objects"
                            + "|Fetching objects from the database|Connecting the backend to a database"
                            + "|Using database in route handlers|Error handling"
                            + "|Moving error handling into middleware|The order of middleware loading"
                            + "|Promise chaining|Lint|Deploying the database backend to production",
                    "Express|middleware|route|request|response|Node.js|nodemon|MongoDB|Mongoose|schema"
                            + "|environment variable|port|CORS|static file|error handler",
                    "app.use|express.json()|request.params.id|response.status(404)|process.env.PORT|morgan"
                            + "|app.listen|next(error)|mongoose.connect|.env",
                    65, 30),
            Part.of("Testing Express servers, user administration",
                    "Structure of backend application, introduction to testing|Testing the backend"
                            + "|User administration|Token authentication|Test doubles and fixtures",
                    "Project structure|Note on exports|Testing Node applications|Test environment|supertest"
                            + "|Initializing the database before tests|Running tests one by one|async/await"
                            + "|async/await in the backend|More tests and refactoring the backend"
                            + "|Error handling and async/await|Eliminating the try-catch"
                            + "|Optimizing the beforeEach function|Refactoring tests|References across collections"
                            + "|Mongoose schema for users|Creating users|Creating a new note|Populate"
                            + "|Limiting creating new notes to logged-in users"
                            + "|Problems of Token-based authentication|Password hashing with bcrypt|Test doubles"
                            + "|Fixtures and factories",
                    "test|assertion|supertest|test database|user|password hash|token|JWT|bcrypt|reference"
                            + "|async function|beforeEach|fixture|mock|authorization header",
                    "node --test|assert.strictEqual|beforeEach|supertest(app)|jwt.sign|bcrypt.hash"
                            + "|populate('user')|NODE_ENV=test|Authorization: Bearer|express-async-errors",
                    65, 30),
            Part.of("Testing React apps",
                    "Login in frontend|props.children and proptypes|Testing React apps"
                            + "|End to end testing: Playwright|End to end testing: Cypress",
                    "Handling login|Conditional rendering of the login form"
                            + "|Saving the token to the browser's local storage|A note on using local storage"
                            + "|Displaying the login form only when appropriate|The components children"
                            + "|State of the forms|References to components with ref|One point about components"
                            + "|PropTypes|Rendering the component for tests|Test file location"
                            + "|Searching for content in a component|Debugging tests|Clicking buttons in tests"
                            + "|Tests for the Togglable component|Testing the forms|About finding the elements"
                            + "|Test coverage|Frontend integration tests|Snapshot testing|Initializing tests"
                            + "|Controlling the state of the database|Failed login test"
                            + "|Running and debugging the tests",
                    "login form|local storage|ref|props.children|Togglable|screen|user event|mock function"
                            + "|coverage|end to end test|Playwright|selector|snapshot|test id|page object",
                    "window.localStorage|useRef|forwardRef|render(<Note />)|screen.getByText|userEvent.setup()"
                            + "|vi.fn()|page.getByRole|expect(locator).toBeVisible()|npm run test:e2e",
                    80, 20),
            Part.of("Advanced state management",
                    "Flux-architecture and Redux|Many reducers|Communicating with server in a Redux application"
                            + "|React Query, useReducer and the context|Redux Toolkit in depth",
                    "Flux-architecture|Redux|Redux-notes|Pure functions, immutable|Array spread syntax"
                            + "|Uncontrolled form|Action creators|Forwarding Redux Store to various components"
                            + "|Store with complex state|Combined reducers|Redux Toolkit|Redux DevTools"
                            + "|Getting data from the backend|Sending data to the backend"
                            + "|Asynchronous actions and Redux Thunk|Managing data on the server with React Query"
                            + "|Synchronizing data to the server using React Query|Optimizing the performance"
                            + "|useReducer|Using context for passing the state to components"
                            + "|Which state management solution to choose?",
                    "store|reducer|action|dispatch|selector|immutable state|slice|thunk|query|mutation|context"
                            + "|provider|action creator|cache|query invalidation",
                    "useSelector|useDispatch|createSlice|configureStore|combineReducers|deepFreeze"
                            + "|useQuery|useMutation|queryClient.invalidateQueries|createContext",
                    80, 20),
            Part.of("React router, custom hooks, styling app with CSS and webpack",
                    "React Router|Custom hooks|More about styles|Webpack|Class components, Miscellaneous",
                    "Application navigation structure|Parameterized route|useNavigate|Redirect"
                            + "|Parameterized route revisited|Hooks|Custom hooks|Spread attributes"
                            + "|Ready-made UI libraries|React Bootstrap|Material UI|Styled components|Bundling"
                            + "|Configuration file|Loaders|Transpilers|Webpack-dev-server|Source maps"
                            + "|Minifying the code|Development and production configuration|Polyfill"
                            + "|Class Components|Organization of code in React application"
                            + "|Frontend and backend in the same repository|Virtual DOM"
                            + "|On the role of React in applications|React/node-application security"
                            + "|Current trends",
                    "route|router|link|navigation|URL parameter|custom hook|bundle|loader|transpiler"
                            + "|source map|polyfill|class component|lifecycle method|styled component|theme",
                    "BrowserRouter|useParams|useMatch|Navigate|webpack.config.js|babel-loader"
                            + "|componentDidMount|styled.button|npm run build|devServer",
                    80, 20),
            Part.of("Using relational databases",
                    "Using relational databases with Sequelize|Join tables and queries"
                            + "|Migrations, many-to-many relationships|Deployment and continuous integration"
                            + "|Containers",
                    "Advantages and disadvantages of document databases|Application database"
                            + "|Node application using a relational database|Creating database tables automatically"
                            + "|Printing the objects returned by Sequelize to the console|Application structuring"
                            + "|Table relations|Proper linking of tables|Adding a relation to the note|More queries"
                            + "|Migrations|Admin user and user disabling|Many-to-many relationships"
                            + "|Note about the models|Revisiting the many-to-many relationships"
                            + "|Getting started with GitHub Actions|Getting software in containers"
                            + "|Building and configuring environments|Using a database in a container"
                            + "|Transactions and isolation|Connection pooling|Indexes and query plans",
                    "table|column|row|primary key|foreign key|migration|model|query|join|transaction|index"
                            + "|connection pool|container|image|workflow",
                    "sequelize.sync()|Model.init|findAll|include: { model: User }|umzug|psql"
                            + "|docker compose up|DATABASE_URL|EXPLAIN ANALYZE|BEGIN",
                    35, 25));

    private static final String[] NOUNS = ("application|server|client|browser|request|response|function|module"
            + "|component|developer|user|database|file|variable|object|array|value|parameter|error|example"
            + "|library|code|project|test|configuration|environment|route|handler|state|page|token"
            + "|connection|command|directory|package|dependency|version|method|field|collection").split("\\|");
    private static final String[] VERBS = ("use|define|create|add|change|move|test|call|implement|refactor"
            + "|handle|return|store|render|fetch|validate|install|configure|export|import|update|read|send"
            + "|receive|log|parse|register|remove|replace|check").split("\\|");
    private static final String[] ADJECTIVES = ("new|simple|separate|asynchronous|previous|following|whole"
            + "|default|same|correct|single|external|local|important|complex|small|global|unique|empty|valid"
            + "|initial|current|final|entire|useful").split("\\|");
    private static final String[] ADVERBS = ("now|then|also|easily|automatically|usually|already|directly"
            + "|simply|only|always|rarely|immediately").split("\\|");
    private static final String[] OPENERS = ("|In practice,|For example,|However,|Note that|As we saw earlier,"
            + "|At this point|In the code above,|After this change,|In other words,|Before we continue,"
            + "|In this part|Now|Next,|Finally,|Fortunately,|Unfortunately,|In most cases||").split("\\|", -1);
    private static final String[] PREPOSITIONS = "in|from|to|with|inside|through|for|on|into|behind".split("\\|");
    private static final String[] JUDGEMENTS = ("good practice|important|possible|easy|common|worth noting"
            + "|not always necessary|a good idea|tempting").split("\\|");
    private static final String[] TEMPLATES = {
        "{O} the {A} {N} {V} the {T} {P} the {N}.",
        "The {T} {V} the {N} {P} {a} {A} {N}, {S}.",
        "We {B} the {C} {P} the {N} {S}.",
        "Let's {B} the {A} {T} {P} the {N}.",
        "It is {J} to {B} the {N} {S}.",
        "{O} {C} {V} {a} {A} {N} {P} the {T}.",
        "When the {N} {V} the {T}, the {N} {D} {V} the {A} {N}.",
        "This {V} the {N} {P} the {T}, which {V} the {A} {N} {P} the {N}.",
        "There are {num} {A} {Ns} {P} the {T}, and each of them {V} the {N}.",
        "{O} the {T} is {A}, so we {B} the {N} {P} the {N} {D}.",
        "The {A} {Ns} {B} {C} {D}, {S}.",
        "If you {B} the {T} {P} the {N}, remember to {B} the {A} {N} as well.",
    };
    private static final String[] CLAUSES = {
        "when the {N} {V} the {N}", "because the {N} is {A}", "so that the {N} {V} the {T}",
        "which means that the {A} {N} {V} the {N}", "if the {N} is {A}", "before the {T} {V} the {N}",
        "since the {A} {T} {V} {C}", "as long as the {N} {V} the {A} {N}",
    };
    private static final String[] NUMBERS = "two|three|four|five|several|many|a few".split("\\|");

    private CourseText() {
    }

    static Part part(int part) {
        return PARTS.get(part - 1);
    }

    static int topicCount(int part) {
        return part(part).topics().size();
    }

    /** The n-th lesson title of a part; past the topic list, topics come back as "…, part 2". */
    static String lessonTitle(int part, int n) {
        List<String> topics = part(part).topics();
        String topic = topics.get(n % topics.size());
        return n < topics.size() ? topic : topic + ", part " + (n / topics.size() + 1);
    }

    static String slug(String title) {
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "page" : slug;
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    static <T> T pick(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    /** One sentence of HTML prose (inline {@code <code>} included) about the part's topic. */
    static String sentence(Random random, Part part) {
        String sentence = fill(pick(random, TEMPLATES), random, part).replaceAll(" {2,}", " ").strip();
        return capitalize(sentence);
    }

    static String paragraph(Random random, Part part) {
        int sentences = 3 + random.nextInt(5);
        StringBuilder paragraph = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            paragraph.append(i == 0 ? "" : " ").append(sentence(random, part));
        }
        return paragraph.toString();
    }

    /** A short phrase, for list items, table cells and alt texts. */
    static String phrase(Random random, Part part) {
        return fill(pick(random, new String[] {"the {A} {N} {P} the {T}", "{a} {A} {T}",
            "how the {N} {V} the {T}", "{C} and the {A} {N}"}), random, part);
    }

    static String heading(Random random, Part part) {
        return switch (random.nextInt(4)) {
            case 0, 1 -> pick(random, part.topics());
            case 2 -> capitalize(ing(pick(random, VERBS)) + " the " + pick(random, part.terms()));
            default -> capitalize(pick(random, ADJECTIVES) + " " + plural(pick(random, NOUNS)) + " and the "
                    + pick(random, part.terms()));
        };
    }

    private static String fill(String template, Random random, Part part) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, open);
            int close = template.indexOf('}', open);
            String slot = template.substring(open + 1, close);
            if (slot.equals("a")) {
                // the article agrees with the word after it, filled on the next round
                int next = template.indexOf('{', close);
                String word = fill(template.substring(next, template.indexOf('}', next) + 1), random, part);
                out.append(article(word)).append(' ').append(word);
                i = template.indexOf('}', next) + 1;
                continue;
            }
            out.append(word(slot, random, part));
            i = close + 1;
        }
        return out.toString();
    }

    private static String word(String slot, Random random, Part part) {
        return switch (slot) {
            case "N" -> random.nextInt(3) == 0 ? pick(random, part.terms()) : pick(random, NOUNS);
            case "Ns" -> plural(pick(random, NOUNS));
            case "T" -> pick(random, part.terms());
            case "A" -> pick(random, ADJECTIVES);
            case "V" -> third(pick(random, VERBS));
            case "B" -> pick(random, VERBS);
            case "D" -> pick(random, ADVERBS);
            case "P" -> pick(random, PREPOSITIONS);
            case "O" -> pick(random, OPENERS);
            case "J" -> pick(random, JUDGEMENTS);
            case "S" -> fill(pick(random, CLAUSES), random, part);
            case "C" -> "<code>" + escape(pick(random, part.code())) + "</code>";
            case "num" -> pick(random, NUMBERS);
            default -> throw new IllegalStateException("no slot " + slot);
        };
    }

    private static String article(String word) {
        String plain = word.replaceAll("<[^>]*>", "").toLowerCase(Locale.ROOT);
        boolean vowelSound = !plain.isEmpty() && "aeiou".indexOf(plain.charAt(0)) >= 0
                && !plain.startsWith("uni") && !plain.startsWith("use") && !plain.startsWith("usu");
        return vowelSound ? "an" : "a";
    }

    private static String third(String verb) {
        return verb.matches(".*(s|x|ch|sh)") ? verb + "es" : verb + "s";
    }

    private static String plural(String noun) {
        if (noun.endsWith("y") && "aeiou".indexOf(noun.charAt(noun.length() - 2)) < 0) {
            return noun.substring(0, noun.length() - 1) + "ies";
        }
        return third(noun);
    }

    private static String ing(String verb) {
        return verb.endsWith("e") ? verb.substring(0, verb.length() - 1) + "ing" : verb + "ing";
    }

    private static String capitalize(String text) {
        return text.isEmpty() || !Character.isLetter(text.charAt(0)) ? text
                : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
