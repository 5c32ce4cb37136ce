package dev.ringzero.api.memory;

/**
 * {@code POOL_EXTENDED_PARAMETER}: one extended parameter of {@code ExAllocatePool3} (and of
 * {@code ExFreePool2}), as {@code wdm.h} defines it: a type, whether the parameter is optional, and the
 * value of the union ({@code Priority}, {@code PreferredNode}, a pointer).
 *
 * <p>A required parameter ({@code optional == false}) must be recognized and satisfied, or the allocation
 * fails; an optional one the pool does not recognize or cannot honour is ignored. Ringzero honours
 * {@link #PoolExtendedParameterPriority} and {@link #PoolExtendedParameterNumaNode} (one node, node 0);
 * it has no secure pools ({@code ExCreatePool}), so {@link #PoolExtendedParameterSecurePool} cannot be
 * satisfied.
 *
 * @param type     a {@code POOL_EXTENDED_PARAMETER_TYPE} value
 * @param optional the {@code Optional} bit
 * @param value    the union: an {@link PoolPriority EX_POOL_PRIORITY}, a {@code POOL_NODE_REQUIREMENT}
 *                 (node index, optionally with {@link #MM_ANY_NODE_OK}), or a pointer
 */
public record PoolExtendedParameter(int type, boolean optional, long value) {

    public static final int PoolExtendedParameterInvalidType = 0;
    public static final int PoolExtendedParameterPriority = 1;
    public static final int PoolExtendedParameterSecurePool = 2;
    public static final int PoolExtendedParameterNumaNode = 3;
    public static final int PoolExtendedParameterMax = 4;

    /** {@code POOL_NODE_REQUIREMENT} bit: prefer the node, take any other when it cannot serve. */
    public static final int MM_ANY_NODE_OK = 0x8000_0000;

    /** A required priority parameter. */
    public static PoolExtendedParameter priority(int priority) {
        return new PoolExtendedParameter(PoolExtendedParameterPriority, false, priority);
    }

    /** A required preferred-node parameter ({@code node}, optionally with {@link #MM_ANY_NODE_OK}). */
    public static PoolExtendedParameter preferredNode(int node) {
        return new PoolExtendedParameter(PoolExtendedParameterNumaNode, false, Integer.toUnsignedLong(node));
    }

    /** The same parameter, marked optional. */
    public PoolExtendedParameter asOptional() {
        return new PoolExtendedParameter(type, true, value);
    }

    @Override
    public String toString() {
        String name = switch (type) {
            case PoolExtendedParameterInvalidType -> "PoolExtendedParameterInvalidType";
            case PoolExtendedParameterPriority -> "PoolExtendedParameterPriority";
            case PoolExtendedParameterSecurePool -> "PoolExtendedParameterSecurePool";
            case PoolExtendedParameterNumaNode -> "PoolExtendedParameterNumaNode";
            default -> "type " + type;
        };
        return "{" + name + (optional ? ", Optional" : "") + ", 0x" + Long.toHexString(value) + "}";
    }
}
