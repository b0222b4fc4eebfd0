package org.coursebot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.coursebot.model.DatabaseUrl;

/**
 * A PostgreSQL cluster of its own in a temporary folder, on 127.0.0.1 and a free port, for a test that stops and
 * starts the database mid-run without disturbing the shared cluster of deploy/local/postgres.sh. It has that
 * cluster's roles and keeps the vector extension in template1, so {@link TestDatabase#create(String)} works in
 * it. It uses the binaries and pgvector that postgres.sh installed, and runs as the OS user that script uses.
 * {@link #startStandby()} makes a streaming hot standby of it, as a read replica is.
 */
public final class PrivateCluster implements AutoCloseable {

    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final String PG_CTL_WAIT_SECONDS = "60";
    private static final String INSTALL_HINT =
            "run deploy/local/postgres.sh first: it installs PostgreSQL and pgvector";
    /** The role a standby streams as: REPLICATION, nothing else; initdb's pg_hba.conf lets it in from 127.0.0.1. */
    private static final String REPLICATOR = "coursebot_replicator";

    private final Path bin;
    private final String osUser;
    private final Path dir;
    private final int port;
    /** The cluster this one is a standby of; null for a primary. */
    private final PrivateCluster primary;
    private boolean closed;

    private PrivateCluster(Path bin, String osUser, Path dir, int port, PrivateCluster primary) {
        this.bin = bin;
        this.osUser = osUser;
        this.dir = dir;
        this.port = port;
        this.primary = primary;
    }

    /** Creates, starts and provisions a fresh cluster; throws {@link IllegalStateException} when it cannot. */
    public static PrivateCluster start() {
        Path bin = installation();
        String osUser = isRoot() ? osUser() : null;
        PrivateCluster cluster;
        try {
            cluster = new PrivateCluster(bin, osUser, Files.createTempDirectory("coursebot-pg-"), freePort(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private cluster's folder", e);
        }
        return cluster.prepare(() -> {
            cluster.initdb();
            cluster.startAgain();
            cluster.provision();
        });
    }

    /**
     * A hot standby of this cluster, as a read replica is one: a copy taken with {@code pg_basebackup -R} (it streams
     * from this cluster as the replication role over 127.0.0.1, as its {@code primary_conninfo} says), started on a
     * free port of its own with {@code hot_standby=on}. It has the same roles and databases, refuses every write, and
     * shows what this cluster commits once it has replayed it. Close it before this one.
     */
    public synchronized PrivateCluster startStandby() {
        if (closed || primary != null) {
            throw new IllegalStateException("a standby is made of a running primary: " + this);
        }
        PrivateCluster standby;
        try {
            Path folder = Files.createTempDirectory("coursebot-pg-standby-");
            standby = new PrivateCluster(bin, osUser, folder, freePort(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the standby's folder", e);
        }
        String conninfo = "host=127.0.0.1 port=" + port + " user=" + REPLICATOR + " password=" + REPLICATOR
                + " application_name=coursebot_standby";
        // A fast checkpoint: the default spread one waits for up to 90 % of checkpoint_timeout before copying. A slot
        // of its own: the primary keeps the WAL the standby has not received, however long its replay is paused.
        String slot = "coursebot_standby_" + standby.port;
        return standby.prepare(() -> {
            standby.run(List.of(bin.resolve("pg_basebackup").toString(), "-d", conninfo,
                    "-D", standby.data().toString(), "-R", "-X", "stream", "-C", "-S", slot, "-c", "fast", "--no-sync"),
                    true);
            standby.startAgain();
        });
    }

    /** {@code url}, a role and database of this cluster's primary (or of this one), at this cluster's port. */
    public String urlOf(String url) {
        DatabaseUrl given = DatabaseUrl.parse("url", url);
        return String.format(Locale.ROOT, "postgresql://%s:%s@127.0.0.1:%d/%s", given.user(), given.password(), port,
                given.database());
    }

    /** Whether this cluster is a standby ({@link #startStandby()}). */
    public boolean standby() {
        return primary != null;
    }

    /**
     * On a standby: stops replaying WAL (it still receives it), as a standby held back would; undone by
     * {@link #resumeReplay()}.
     */
    public void pauseReplay() {
        requireStandby();
        psql("postgres", "SELECT pg_wal_replay_pause()");
    }

    /** On a standby: replays again what it received meanwhile. */
    public void resumeReplay() {
        requireStandby();
        psql("postgres", "SELECT pg_wal_replay_resume()");
    }

    private void requireStandby() {
        if (primary == null) {
            throw new IllegalStateException(this + " is not a standby");
        }
    }

    /** Gives the folder to the cluster's OS user and runs {@code steps}; closes the cluster when one fails. */
    private PrivateCluster prepare(Runnable steps) {
        try {
            if (osUser != null) { // PostgreSQL refuses to run as root
                run(List.of("chown", osUser, dir.toString()), false);
            }
            steps.run();
            return this;
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** A URL of {@code coursebot}, the writer role that may create databases. */
    public String adminUrl() {
        return "postgresql://coursebot:coursebot@127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    /** Stops the server (fast shutdown: open sessions are ended) and waits until it is down; no-op when it is. */
    public synchronized void stop() {
        if (running()) {
            pgCtl("-m", "fast", "stop");
        }
    }

    /** Starts the server again on the same port and data, and waits until it accepts connections. */
    public synchronized void startAgain() {
        if (closed) {
            throw new IllegalStateException("the private cluster is closed");
        }
        if (!running()) {
            pgCtl("-l", log().toString(), "-o", "-p " + port + " -k " + dir
                    + " -c listen_addresses=127.0.0.1 -c fsync=off" + (primary == null ? "" : " -c hot_standby=on"),
                    "start");
        }
    }

    public void restart() {
        restart(Duration.ZERO);
    }

    /** Stops the server, stays down for {@code downFor}, and starts it again. */
    public void restart(Duration downFor) {
        stop();
        try {
            Thread.sleep(downFor.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the private cluster was down", e);
        } finally {
            startAgain();
        }
    }

    /** Stops the server and deletes its folder; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } catch (RuntimeException e) {
            try { // no server may outlive its folder
                pgCtl("-m", "immediate", "stop");
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                throw e;
            }
        } finally {
            delete(dir);
        }
    }

    /** {@code pg_ctl status}: a postmaster.pid alone may be left by a crash. */
    private boolean running() {
        List<String> status = asOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "status"));
        return Files.exists(data().resolve("PG_VERSION")) && exitCode(status, dir) == 0;
    }

    private void initdb() {
        run(List.of(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", "postgres",
                "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
                "--no-sync"), true);
    }

    private void pgCtl(String... arguments) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(),
                "-w", "-t", PG_CTL_WAIT_SECONDS));
        command.addAll(List.of(arguments));
        run(command, true);
    }

    /** The roles and extension of deploy/local/postgres.sh's provision(). */
    private void provision() {
        psql("postgres", "CREATE ROLE coursebot LOGIN CREATEDB PASSWORD 'coursebot'");
        psql("postgres", "CREATE ROLE coursebot_chat LOGIN PASSWORD 'coursebot_chat'");
        psql("postgres", "CREATE ROLE coursebot_insights LOGIN PASSWORD 'coursebot_insights'");
        psql("postgres", "CREATE ROLE " + REPLICATOR + " LOGIN REPLICATION PASSWORD '" + REPLICATOR + "'");
        try {
            psql("template1", "CREATE EXTENSION vector");
        } catch (IllegalStateException e) {
            throw new IllegalStateException("pgvector is not installed for " + bin + ": " + INSTALL_HINT, e);
        }
        roleOfTheEnvironment(TestDatabase.CHAT_URL_VARIABLE, "coursebot_chat");
        roleOfTheEnvironment(TestDatabase.INSIGHTS_URL_VARIABLE, "coursebot_insights");
    }

    /**
     * {@link TestDatabase#chatUrl()} and {@link TestDatabase#insightsUrl()} take the role's name and password from
     * {@code variable} when it is set (with this cluster's host and port): that role must exist here too.
     */
    private void roleOfTheEnvironment(String variable, String provisioned) {
        String configured = System.getenv(variable);
        if (configured == null || configured.isBlank()) {
            return;
        }
        DatabaseUrl url = DatabaseUrl.parse(variable, configured);
        String role = '"' + url.user().replace("\"", "\"\"") + '"';
        String password = url.password() == null ? "NULL" : "'" + url.password().replace("'", "''") + "'";
        if (!url.user().equals(provisioned)) {
            psql("postgres", "CREATE ROLE " + role + " LOGIN");
        }
        psql("postgres", "ALTER ROLE " + role + " PASSWORD " + password);
    }

    private void psql(String database, String sql) {
        run(List.of(bin.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir.toString(),
                "-p", String.valueOf(port), "-U", "postgres", "-d", database, "-c", sql), true);
    }

    /** Runs a command (as the cluster's OS user when {@code asOwner} and we are root), bounded by a timeout. */
    private void run(List<String> command, boolean asOwner) {
        List<String> full = asOwner ? asOwner(command) : command;
        Path output = dir.resolve("command.out");
        try {
            Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw failure(full, "did not finish in " + COMMAND_TIMEOUT.toSeconds() + " s", output);
            }
            if (process.exitValue() != 0) {
                throw failure(full, "exited with " + process.exitValue(), output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", full) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", full) + ": interrupted", e);
        }
    }

    /** pg_ctl and the server refuse to run as root: as root, run them as the cluster's OS user. */
    private List<String> asOwner(List<String> command) {
        if (osUser == null) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("runuser", "-u", osUser, "--"));
        full.addAll(command);
        return full;
    }

    private IllegalStateException failure(List<String> command, String what, Path output) {
        return new IllegalStateException(String.join(" ", command) + " " + what + "\n--- its output:\n"
                + tail(output, 20) + "\n--- tail of " + log() + ":\n" + tail(log(), 30));
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(none: " + e.getMessage() + ")";
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private Path log() {
        return dir.resolve("postgres.log");
    }

    /** The newest /usr/lib/postgresql/N/bin with a server, as postgres.sh chooses it. */
    private static Path installation() {
        try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under " + INSTALLATIONS + ": "
                            + INSTALL_HINT));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL under " + INSTALLATIONS + ": " + INSTALL_HINT, e);
        }
    }

    private static Integer versionOf(Path installation) {
        try {
            return Integer.valueOf(installation.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** postgres.sh runs its cluster as {@code postgres} when that user exists, else as {@code coursebot-pg}. */
    private static String osUser() {
        for (String user : List.of("postgres", "coursebot-pg")) {
            if (exitCode(List.of("id", user), null) == 0) {
                return user;
            }
        }
        throw new IllegalStateException("neither OS user postgres nor coursebot-pg exists: " + INSTALL_HINT);
    }

    private static int exitCode(List<String> command, Path directory) {
        try {
            Process process = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the private cluster's folder " + dir, e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PrivateCluster[127.0.0.1:%d, %s%s]", port, dir,
                primary == null ? "" : ", standby of 127.0.0.1:" + primary.port);
    }
}
