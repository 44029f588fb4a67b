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
