"""PyTorch versions of Initium's reference models with Initium's parameter names, shared by the
scripts that check Initium against PyTorch."""
import torch.nn as nn
import torch.nn.functional as F


class LeNet5(nn.Module):
    """Initium's ConvNet.lenet5: conv1 (6, 5x5, pad 2), pool, conv2 (16, 5x5), pool, fc1-fc3."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc3(F.relu(self.fc2(x)))


class LeNet300(nn.Module):
    """mlp:784-300-100-10 (Initium's MLP: children `layers.0`, `layers.1` (ReLU), `layers.2`, …)."""

    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, 10))

    def forward(self, x):
        return self.layers(x.flatten(1))


class Stem(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.norm = nn.BatchNorm2d(16)

    def forward(self, x):
        return F.relu(self.norm(self.conv(x)))


class Shortcut(nn.Module):
    """Option B projection: 1x1 convolution with the block's stride, then batch norm."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1, stride, bias=False)
        self.norm = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.norm(self.conv(x))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.norm1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(cout)
        self.shortcut = Shortcut(cin, cout, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.norm2(self.conv2(F.relu(self.norm1(self.conv1(x)))))
        return F.relu(y + (self.shortcut(x) if self.shortcut is not None else x))


class Stage(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x):
        return self.blocks(x)


class ResNet20(nn.Module):
    """Initium's ResNet(depth: 20): stem, stages.{0,1,2}.blocks.{0,1,2}, global pool, classifier."""

    def __init__(self):
        super().__init__()
        self.stem = Stem()
        stages, cin = [], 16
        for i, cout in enumerate([16, 32, 64]):
            stages.append(Stage([Block(cin if j == 0 else cout, cout, 2 if i > 0 and j == 0 else 1) for j in range(3)]))
            cin = cout
        self.stages = nn.Sequential(*stages)
        self.classifier = nn.Linear(64, 10)

    def forward(self, x):
        return self.classifier(self.stages(self.stem(x)).mean(dim=(2, 3)))
