package dev.ponder.serve;

/**
 * An error answered with an HTTP status and OpenAI's error object
 * {@code {"error":{"message","type","param","code"}}}.
 */
public final class ApiError extends RuntimeException {
    final int status;
    final String type;
    final String param;
    final String code;

    public ApiError(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400 {@code invalid_request_error} about field {@code param}. */
    public static ApiError invalid(String param, String message) {
        return new ApiError(400, "invalid_request_error", param, param == null ? null : "invalid_value", message);
    }

    public int status() {
        return status;
    }
}
