package org.coursebot.testing.bench;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A DataSource that counts what its connections send to the server: every statement executed and every commit or
 * rollback. With pgjdbc each of these is one round trip (a transaction's BEGIN goes with its first statement, and
 * {@code setAutoCommit} sends nothing), so the count is the round trips, seen from the client.
 */
final class CountingDataSource implements DataSource {

    private static final Set<String> STATEMENT_SENDS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");
    private static final Set<String> CONNECTION_SENDS = Set.of("commit", "rollback");

    private final DataSource delegate;
    private final LongAdder sent = new LongAdder();

    CountingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    long sent() {
        return sent.sum();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counting(Connection.class, delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return counting(Connection.class, delegate.getConnection(username, password));
    }

    private <T> T counting(Class<T> type, T target) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (type == Connection.class ? CONNECTION_SENDS.contains(name) : STATEMENT_SENDS.contains(name)) {
                sent.increment();
            }
            Object result = invoke(target, method, args);
            if (type == Connection.class && result instanceof Statement statement) {
                // prepareStatement and createStatement: the statement's interface, counted too
                @SuppressWarnings("unchecked")
                Class<Statement> returned = (Class<Statement>) method.getReturnType();
                return counting(returned, statement);
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
